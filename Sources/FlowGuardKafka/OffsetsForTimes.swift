import Logging

/// Finds, per partition, the first offset whose record's timestamp is at or after a time.
///
/// Brokers answer this from their time index (ListOffsets by timestamp). librdkafka 2.0.2's embedded
/// cluster answers -1 ("no such record") to every such request, as a real broker does when every
/// record is older; the two cannot be told apart from the answer. So an answer of -1 is checked
/// against the partition's last record, and when that record is not older, the offset is found by a
/// binary search over the records' timestamps: about log2(records) single-record fetches. The search
/// assumes timestamps grow with offsets, as they do for records stamped with their create time by
/// one producer; Kafka's own index makes the same assumption.
struct OffsetsForTimes {
    let configuration: KafkaConfiguration
    let logger: Logger
    let timeout: Duration

    func resolve(
        _ times: [TopicPartition: Int64],
        brokers: RDKafkaClient
    ) async throws(KafkaError) -> [TopicPartition: Int64] {
        let timeoutMillis = Int32(clamping: timeout.milliseconds)
        var offsets = try await brokers.brokerOffsets(forTimes: times, timeoutMillis: timeoutMillis)
        let unanswered = times.keys.filter { offsets[$0] == nil }.sorted()
        guard !unanswered.isEmpty else { return offsets }
        // Made only for a partition that holds records: a new client costs connections to the brokers.
        var reader: KafkaConsumer?
        for partition in unanswered {
            let (low, high) = try await brokers.watermarks(topic: partition.topic, partition: partition.partition, timeoutMillis: timeoutMillis)
            guard low < high else {
                offsets[partition] = high
                continue
            }
            let searcher: KafkaConsumer
            if let reader {
                searcher = reader
            } else {
                searcher = try KafkaConsumer(configuration: configuration, logger: logger)
                reader = searcher
            }
            offsets[partition] = try await search(partition, from: low, to: high, time: times[partition]!, reader: searcher)
        }
        return offsets
    }

    /// The first offset in `low..<high` whose record is at or after `time`, or `high`.
    private func search(_ partition: TopicPartition, from low: Int64, to high: Int64, time: Int64, reader: KafkaConsumer) async throws(KafkaError) -> Int64 {
        // A partition whose history is younger than the time asked (a window longer than what the
        // partition holds, the usual case on the embedded cluster) is settled by its first record.
        if let first = try await firstRecord(of: partition, atOrAfter: low, reader: reader), (first.timestampMillis ?? .min) >= time {
            return low
        }
        var low = low
        var high = high
        while low < high {
            let middle = low + (high - low) / 2
            guard let record = try await firstRecord(of: partition, atOrAfter: middle, reader: reader) else {
                // Nothing readable from the middle on (deleted since the watermarks were read).
                high = middle
                continue
            }
            if (record.timestampMillis ?? Int64.min) >= time {
                high = middle
            } else {
                low = record.offset + 1
            }
        }
        return high
    }

    /// The record at `offset`, or the next one when that offset holds none (compaction, a transaction
    /// marker); nil when none arrives within the timeout.
    private func firstRecord(of partition: TopicPartition, atOrAfter offset: Int64, reader: KafkaConsumer) async throws(KafkaError) -> KafkaRecord? {
        try reader.assign([.init(topic: partition.topic, partition: partition.partition, offset: .exactly(offset))])
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let record = try await reader.poll(timeout: .milliseconds(100)),
                record.topic == partition.topic, record.partition == partition.partition, record.offset >= offset
            {
                return record
            }
        }
        return nil
    }
}
