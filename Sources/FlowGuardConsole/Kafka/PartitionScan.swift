import FlowGuardKafka
import Logging

/// Reads ranges of offsets of one topic by seeking: each partition is assigned at the start of its
/// range and read to its end (exclusive), all within the cluster's timeout. The message browser and
/// the attribution page read through here.
enum PartitionScan {
    /// How a scan ended.
    struct Outcome: Sendable {
        /// Records handed to the body.
        var scanned = 0
        /// The scan stopped at its limit before the end of every range.
        var limitReached = false
        /// False when the deadline passed before every range was read.
        var complete = true
        /// The next offset to read of each partition: the end of its range once read through.
        var positions: [Int32: Int64] = [:]
    }

    /// Hands each record of `ranges` to `body`, in the order each partition delivers them, until every
    /// range is read, `body` returns false, `limit` records were read, or the timeout passes.
    /// - Throws: `ConsoleError` 503 when the consumer cannot be created or assigned.
    static func read(
        topic: String,
        ranges: [Int32: Range<Int64>],
        limit: Int,
        cluster: ConsoleCluster,
        logger: Logger,
        _ body: (KafkaRecord) -> Bool
    ) async throws(ConsoleError) -> Outcome {
        var outcome = Outcome()
        outcome.positions = ranges.mapValues(\.lowerBound)
        // Each partition's end, removed once its last record was read.
        var pending = ranges.filter { !$0.value.isEmpty }.mapValues(\.upperBound)
        guard !pending.isEmpty else { return outcome }

        let consumer: KafkaConsumer
        do {
            consumer = try KafkaConsumer(configuration: cluster.configuration, logger: logger)
            try consumer.assign(pending.keys.sorted().map { .init(topic: topic, partition: $0, offset: .exactly(ranges[$0]!.lowerBound)) })
        } catch {
            throw .unavailable("cannot read \(topic): \(error.message)")
        }
        defer { Task { await consumer.close() } }

        let deadline = ContinuousClock.now + cluster.timeout
        reading: while !pending.isEmpty {
            let remaining = deadline - .now
            guard remaining > .zero else {
                outcome.complete = false
                break
            }
            let batch: [KafkaRecord]
            do {
                batch = try await consumer.pollBatch(max: 2000, timeout: min(remaining, .milliseconds(100)))
            } catch {
                logger.debug("Console: read error", metadata: ["error.message": .string(error.message)])
                continue
            }
            for record in batch {
                guard let end = pending[record.partition], record.offset < end else { continue }
                if record.offset >= end - 1 { pending[record.partition] = nil }
                outcome.scanned += 1
                outcome.positions[record.partition] = record.offset + 1
                guard body(record) else { break reading }
                if outcome.scanned >= limit, !pending.isEmpty {
                    outcome.limitReached = true
                    break reading
                }
            }
        }
        return outcome
    }
}
