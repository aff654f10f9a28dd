import FoundationEssentials
import FlowGuardKafka
import FlowGuardSupport
import Logging

extension AttributionSession {
    /// The group gave this instance `partitions` of the orders topic. Each is started when its first
    /// order arrives (``start(_:with:)``), which says how far back its clicks and its output must be read.
    mutating func assign(_ partitions: [Int32]) {
        let new = partitions.filter { !assigned.contains($0) }
        assigned.formUnion(new)
        startPending.formUnion(new)
        logger.info("order partitions assigned", metadata: [LoggingKeys.attributionPartitions: "\(assigned.sorted())"])
    }

    /// Starts an order partition on its first order: reads its click partitions back from the
    /// longest window before that order's time (or before now, if earlier), to rebuild its users'
    /// recent clicks and impressions, and reads back the output written since the order was appended.
    mutating func start(_ partition: Int32, with first: KafkaRecord) async throws {
        startPending.remove(partition)
        let orderTime = (try? InputDecoding.order(from: first).timestampMillis) ?? first.timestampMillis ?? Self.nowMillis
        let longest = max(configuration.windows.click, configuration.windows.view)
        let from = min(orderTime, Self.nowMillis) - longest.milliseconds - configuration.rebuildMargin.milliseconds
        let clickPartitions = layout.clickPartitions(of: partition)
        var times: [TopicPartition: Int64] = [:]
        for clickPartition in clickPartitions {
            times[TopicPartition(topic: configuration.clicksTopic, partition: clickPartition)] = max(0, from)
        }
        let starts: [TopicPartition: Int64]
        do {
            // Asked through the admin client: a broker answers a connection's requests in order, so
            // on the click consumer's connections this would wait behind its fetches (up to
            // fetch.wait.max.ms each).
            starts = try await admin.offsets(forTimes: times, timeout: Self.requestTimeout)
        } catch {
            throw AttributionJobError("cannot find where to read \(configuration.clicksTopic) back from", error)
        }
        for clickPartition in clickPartitions {
            clickPositions[clickPartition] = starts[TopicPartition(topic: configuration.clicksTopic, partition: clickPartition)] ?? 0
        }
        try reassignClicks(startingNow: clickPartitions.map { TopicPartition(topic: configuration.clicksTopic, partition: $0) })
        metrics.recordRebuild()
        try await readBackOutput(of: partition, firstOffset: first.offset, appendedAt: first.timestampMillis)
        logger.info(
            "order partition started",
            metadata: [
                LoggingKeys.attributionPartitions: "\(partition)", LoggingKeys.attributionRecord: "\(first.offset)",
                LoggingKeys.attributionClickPartitions: "\(clickPartitions.map { "\($0)@\(clickPositions[$0] ?? 0)" })",
            ]
        )
    }

    /// The group took `partitions` away: their held orders are dropped uncommitted (the next owner
    /// reads them again) and their users' touches forgotten.
    mutating func revoke(_ partitions: [Int32]) {
        let taken = partitions.filter { assigned.contains($0) }
        guard !taken.isEmpty else { return }
        assigned.subtract(taken)
        hold.drop(orderPartitions: taken)
        for partition in taken {
            startPending.remove(partition)
            alreadyCredited[partition] = nil
            committed[partition] = nil
            for clickPartition in layout.clickPartitions(of: partition) {
                clickPositions[clickPartition] = nil
            }
        }
        let layout = layout
        let remaining = assigned
        model.keepTouches { remaining.contains(layout.orderPartition(ofClickPartition: $0.partition)) }
        // Reassigning keeps the remaining partitions' positions; the error can only be a client in
        // a fatal state, which the next read reports.
        try? reassignClicks()
        logger.info("order partitions revoked", metadata: [LoggingKeys.attributionPartitions: "\(taken.sorted())"])
    }

    /// Assigns the click partitions of ``clickPositions`` from there; `started`, new among them, are
    /// fetched at once.
    private func reassignClicks(startingNow started: [TopicPartition] = []) throws {
        let assignments = clickPositions.sorted { $0.key < $1.key }.map {
            KafkaConsumer.Assignment(topic: configuration.clicksTopic, partition: $0.key, offset: .exactly($0.value))
        }
        do {
            try clicks.assign(assignments, startingNow: started)
        } catch {
            throw AttributionJobError("cannot assign the partitions of \(configuration.clicksTopic)", error)
        }
    }

    /// Reads back the output of `partition` written since its first order to read now was appended,
    /// and notes which orders at or after that one it already holds.
    private mutating func readBackOutput(of partition: Int32, firstOffset: Int64, appendedAt: Int64?) async throws {
        let output = TopicPartition(topic: configuration.outputTopic, partition: partition)
        // An order's record is written after the order was appended; the margin covers clocks that differ.
        let from = (appendedAt ?? 0) - configuration.rebuildMargin.milliseconds
        let start: Int64
        let end: Int64
        do {
            start = try await admin.offsets(forTimes: [output: max(0, from)], timeout: Self.requestTimeout)[output] ?? 0
            end = try await admin.watermarks(topic: configuration.outputTopic, partition: partition, timeout: Self.requestTimeout).high
        } catch {
            throw AttributionJobError("cannot find where to read \(configuration.outputTopic) back from", error)
        }
        var found: Set<Int64> = []
        if start < end {
            found = try await Self.readSources(
                of: output, from: start, to: end, sourcePartition: partition, atOrAfter: firstOffset, configuration: configuration, logger: logger
            )
        }
        alreadyCredited[partition] = found
        logger.info(
            "output read back",
            metadata: [
                LoggingKeys.attributionPartitions: "\(partition)", LoggingKeys.attributionRecord: "\(start)..<\(end)",
                LoggingKeys.attributionAlreadyCredited: "\(found.count)",
            ]
        )
    }

    /// The `source_offset`s of the records of `output` in `start..<end` that come from `sourcePartition`
    /// at or after `firstOffset`.
    private static func readSources(
        of output: TopicPartition, from start: Int64, to end: Int64, sourcePartition: Int32, atOrAfter firstOffset: Int64,
        configuration: AttributionJobConfiguration, logger: Logger
    ) async throws -> Set<Int64> {
        let reader: KafkaConsumer
        do {
            reader = try KafkaConsumer(configuration: configuration.kafka, logger: logger)
            try reader.assign([.init(topic: output.topic, partition: output.partition, offset: .exactly(start))])
        } catch {
            throw AttributionJobError("cannot read \(output) back", error)
        }
        var found: Set<Int64> = []
        var next = start
        var silentPolls = 0
        while next < end {
            let record: KafkaRecord?
            do {
                record = try await reader.poll(timeout: .milliseconds(500))
            } catch {
                await reader.close()
                throw AttributionJobError("reading \(output) back failed", error)
            }
            guard let record else {
                // Past the last record the reader can see: transaction markers and aborted records
                // (invisible to read_committed) may fill the rest up to the high watermark.
                if let position = try? reader.positions([output])[output], position >= end {
                    break
                }
                silentPolls += 1
                if silentPolls >= 60 {
                    await reader.close()
                    throw AttributionJobError("reading \(output) back stopped at offset \(next) of \(end)")
                }
                continue
            }
            silentPolls = 0
            next = record.offset + 1
            if let source = AttributedOrder.source(of: record), source.partition == sourcePartition, source.offset >= firstOffset {
                found.insert(source.offset)
            }
        }
        await reader.close()
        return found
    }

    /// Checks whether the click partitions that held orders wait for have been read to their end.
    mutating func checkClickEnds(now: ContinuousClock.Instant) async {
        for orderPartition in hold.waitingPartitions {
            for clickPartition in layout.clickPartitions(of: orderPartition) {
                guard let position = clickPositions[clickPartition],
                    let high = try? await admin.watermarks(topic: configuration.clicksTopic, partition: clickPartition, timeout: Self.requestTimeout).high
                else { continue }
                hold.noteClickPartition(clickPartition, caughtUp: position >= high, now: now)
            }
        }
    }

    /// Sets the gauges: the lag of every assigned partition, the orders held and the touches kept.
    func updateGauges() async {
        var lag: [String: [Int32: Int64]] = [:]
        for partition in assigned {
            if let high = try? await admin.watermarks(topic: configuration.ordersTopic, partition: partition, timeout: Self.requestTimeout).high {
                lag[configuration.ordersTopic, default: [:]][partition] = max(0, high - (committed[partition] ?? 0))
            }
        }
        for (partition, position) in clickPositions {
            if let high = try? await admin.watermarks(topic: configuration.clicksTopic, partition: partition, timeout: Self.requestTimeout).high {
                lag[configuration.clicksTopic, default: [:]][partition] = max(0, high - position)
            }
        }
        metrics.setGauges(lag: lag, heldOrders: hold.count, touches: model.touchCount)
    }

    /// The wall clock, in milliseconds since the epoch: what Kafka's record timestamps are compared with.
    static var nowMillis: Int64 {
        Int64(Date().timeIntervalSince1970 * 1000)
    }
}
