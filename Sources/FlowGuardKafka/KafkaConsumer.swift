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

    /// What a poll can bring: a record, or a change of the partitions the group gave this consumer.
    public enum Event: Sendable, Equatable {
        case record(KafkaRecord)
        /// The group gave these partitions; the consumer reads them already.
        case assigned([TopicPartition])
        /// The group took these partitions back; the consumer no longer reads them, and records of
        /// theirs that were fetched but not yet polled are dropped.
        case revoked([TopicPartition])
    }

    let client: RDKafkaClient
    private let configuration: KafkaConfiguration
    private let logger: Logger

    /// Creates a consumer.
    /// - Parameters:
    ///   - groupID: the consumer group; nil reads without a group and commits nothing.
    ///   - autoCommit: with a group, whether librdkafka commits what was polled every few seconds.
    ///     Without it nothing is committed but what ``commit(_:)`` is given: the way to commit only
    ///     what has been stored elsewhere. A group consumer that never subscribes can read and set
    ///     the group's offsets this way, without joining it.
    ///   - readsBacklogs: wake librdkafka's broker threads whenever a batch poll empties its queue during
    ///     a backlog, which librdkafka 2.0 otherwise leaves idle for up to a second (``RDKafkaFetchWaker``).
    ///   - readiness: raised whenever the consumer's queue, empty, receives a record or an event: one
    ///     signal given to several consumers lets a task wait for all of them at once.
    /// - Throws: `KafkaError` with `.configuration` or `.clientCreation`.
    public init(
        configuration: KafkaConfiguration, groupID: String? = nil, autoCommit: Bool = true, readsBacklogs: Bool = false,
        readiness: KafkaReadiness? = nil, logger: Logger
    ) throws(KafkaError) {
        var properties: [String: String] = [
            "enable.partition.eof": "false",
            "log.connection.close": "false",
            "auto.offset.reset": "earliest",
        ]
        if let groupID {
            properties["group.id"] = groupID
            properties["enable.auto.commit"] = autoCommit ? "true" : "false"
        } else {
            // librdkafka wants a group id even for assign(); it is never joined or committed to.
            properties["group.id"] = "flowguard-reader"
            properties["enable.auto.commit"] = "false"
            properties["enable.auto.offset.store"] = "false"
        }
        properties.merge(configuration.consumerProperties()) { _, user in user }
        let context = RDKafkaClientContext(name: "consumer", logger: logger)
        self.configuration = configuration
        self.logger = logger
        self.client = try RDKafkaClient(kind: .consumer, properties: properties, context: context, wakesFetchers: readsBacklogs, readiness: readiness)
    }

    /// Reads exactly these partitions from the given offsets.
    public func assign(_ assignments: [Assignment]) throws(KafkaError) {
        try client.assign(assignments)
    }

    /// Reads exactly these partitions from the given offsets, and has the brokers that lead
    /// `started` begin fetching them now: librdkafka before 2.1 starts a newly assigned partition's
    /// fetches only when its broker thread next wakes, which an idle one does once a second
    /// (``RDKafkaFetchWaker``). A reader that assigns partitions as it goes (the attribute job) would
    /// otherwise wait up to that second for each.
    public func assign(_ assignments: [Assignment], startingNow started: [TopicPartition]) throws(KafkaError) {
        try client.assign(assignments)
        RDKafkaFetchWaker.wakeSoon(client: client, leadersOf: started)
    }

    /// Joins the group and reads the partitions it assigns.
    public func subscribe(topics: [String]) throws(KafkaError) {
        try client.subscribe(topics)
    }

    /// Waits up to `timeout` for the next record; rebalances are applied and not reported.
    /// - Returns: the record, or nil when none arrived in time.
    public func poll(timeout: Duration) async throws(KafkaError) -> KafkaRecord? {
        try await client.consumerNextRecord(timeoutMillis: Int32(clamping: timeout.milliseconds))
    }

    /// Waits up to `timeout` for the next record or rebalance, in the order they happened.
    /// - Returns: the event, or nil when none came in time.
    public func nextEvent(timeout: Duration) async throws(KafkaError) -> Event? {
        try await client.consumerNextEvent(timeoutMillis: Int32(clamping: timeout.milliseconds))
    }

    /// Commits the offsets of the records read so far (group consumers only).
    public func commit() async throws(KafkaError) {
        try await client.commit()
    }

    /// Commits exactly these offsets, each the next offset to read in its partition, and waits for
    /// the coordinator's answer.
    /// - Throws: `KafkaError` when the commit, or the commit of any one partition, failed.
    public func commit(_ offsets: [TopicPartition: Int64]) async throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        try await startCommit(offsets).answer()
    }

    /// Sends a commit of exactly these offsets and returns before the coordinator answers, so that
    /// the caller reads on meanwhile. It goes out ahead of anything done next with this consumer: a
    /// rebalance that a later poll serves gives no partition up until the commit is answered, so a
    /// partition's new owner reads the group's offset after this commit, never before it.
    /// - Throws: `KafkaError` when `offsets` is empty or librdkafka refuses the commit at once.
    public func startCommit(_ offsets: [TopicPartition: Int64]) throws(KafkaError) -> PendingCommit {
        PendingCommit(client: client, commit: try client.startCommit(offsets))
    }

    /// A commit sent and not yet answered (``startCommit(_:)``).
    public struct PendingCommit: Sendable {
        let client: RDKafkaClient
        let commit: RDKafkaCommit

        /// Waits for the coordinator's answer.
        /// - Throws: `KafkaError` when the commit, or the commit of any one partition, failed.
        public func answer() async throws(KafkaError) {
            try await client.answer(of: commit)
        }
    }

    /// The group's committed offsets (the next offset to read) of these partitions.
    /// - Returns: the offsets; a partition the group committed nothing for is left out.
    public func committed(_ partitions: [TopicPartition], timeout: Duration) async throws(KafkaError) -> [TopicPartition: Int64] {
        try await client.committed(partitions, timeoutMillis: Int32(clamping: timeout.milliseconds))
    }

    /// For each partition, the first offset whose record's timestamp is at or after the time given
    /// (milliseconds since the epoch), or the high watermark when every record is older. On a cluster
    /// that cannot look up offsets by time (the embedded one) the answer comes from a binary search
    /// over the records (``OffsetsForTimes``).
    public func offsets(forTimes times: [TopicPartition: Int64], timeout: Duration) async throws(KafkaError) -> [TopicPartition: Int64] {
        try await OffsetsForTimes(configuration: configuration, logger: logger, timeout: timeout).resolve(times, brokers: client)
    }

    /// Stops fetching these partitions, keeping them assigned and their positions, until they are
    /// resumed or the group takes them away (a partition assigned again comes unpaused).
    public func pause(_ partitions: [TopicPartition]) throws(KafkaError) {
        try client.setPaused(true, partitions)
    }

    /// Fetches paused partitions again from where they stopped.
    public func resume(_ partitions: [TopicPartition]) throws(KafkaError) {
        try client.setPaused(false, partitions)
    }

    /// The partitions this consumer reads now.
    public func assignment() throws(KafkaError) -> [TopicPartition] {
        try client.assignment()
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
