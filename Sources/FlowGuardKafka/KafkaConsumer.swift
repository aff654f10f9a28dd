import Logging

/// Reads records from Kafka: assigned partitions from chosen offsets, or a consumer group.
public final class KafkaConsumer: Sendable {
    /// Where to start reading a partition.
    public enum Offset: Sendable, Equatable {
        /// The oldest record the partition still holds.
        case beginning
        /// Only records written from now on.
        case end
        /// The group's committed offset.
        case stored
        /// This exact offset.
        case exactly(Int64)
        /// The last `n` records of the partition.
        case last(Int64)
    }

    /// One partition to read and where to start.
    public struct Assignment: Sendable, Equatable {
        public var topic: String
        public var partition: Int32
        public var offset: Offset

        public init(topic: String, partition: Int32, offset: Offset) {
            self.topic = topic
            self.partition = partition
            self.offset = offset
        }
    }

    let client: RDKafkaClient

    /// Creates a consumer.
    /// - Parameters:
    ///   - groupID: the consumer group; nil reads without a group and commits nothing.
    /// - Throws: `KafkaError` with `.configuration` or `.clientCreation`.
    public init(configuration: KafkaConfiguration, groupID: String? = nil, logger: Logger) throws(KafkaError) {
        var properties: [String: String] = [
            "enable.partition.eof": "false",
            "log.connection.close": "false",
            "auto.offset.reset": "earliest",
        ]
        if let groupID {
            properties["group.id"] = groupID
            properties["enable.auto.commit"] = "true"
        } else {
            // librdkafka wants a group id even for assign(); it is never joined or committed to.
            properties["group.id"] = "flowguard-reader"
            properties["enable.auto.commit"] = "false"
            properties["enable.auto.offset.store"] = "false"
        }
        properties.merge(configuration.consumerProperties()) { _, user in user }
        let context = RDKafkaClientContext(name: "consumer", logger: logger)
        self.client = try RDKafkaClient(kind: .consumer, properties: properties, context: context)
        client.redirectToConsumerQueue()
    }

    /// Reads exactly these partitions from the given offsets.
    public func assign(_ assignments: [Assignment]) throws(KafkaError) {
        try client.assign(assignments)
    }

    /// Joins the group and reads the partitions it assigns.
    public func subscribe(topics: [String]) throws(KafkaError) {
        try client.subscribe(topics)
    }

    /// Waits up to `timeout` for the next record.
    /// - Returns: the record, or nil when none arrived in time.
    public func poll(timeout: Duration) async throws(KafkaError) -> KafkaRecord? {
        try await client.consumerPoll(timeoutMillis: Int32(clamping: timeout.milliseconds))
    }

    /// Commits the offsets of the records read so far (group consumers only).
    public func commit() async throws(KafkaError) {
        try await client.commit()
    }

    /// Leaves the group (if any) and stops fetching.
    public func close() async {
        await client.closeConsumer()
    }

    /// The records as an endless sequence; it ends when the task is cancelled.
    public func records(pollInterval: Duration = .milliseconds(100)) -> Records {
        Records(consumer: self, pollInterval: pollInterval)
    }

    /// The consumer's records as an `AsyncSequence`.
    public struct Records: AsyncSequence, Sendable {
        public typealias Element = KafkaRecord
        public typealias Failure = KafkaError
        let consumer: KafkaConsumer
        let pollInterval: Duration

        public struct AsyncIterator: AsyncIteratorProtocol {
            let consumer: KafkaConsumer
            let pollInterval: Duration

            public mutating func next() async throws(KafkaError) -> KafkaRecord? {
                while !Task.isCancelled {
                    if let record = try await consumer.poll(timeout: pollInterval) {
                        return record
                    }
                }
                return nil
            }
        }

        public func makeAsyncIterator() -> AsyncIterator {
            AsyncIterator(consumer: consumer, pollInterval: pollInterval)
        }
    }
}
