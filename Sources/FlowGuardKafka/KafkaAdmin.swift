import Logging

/// Lists, describes and creates topics. Every call has a deadline.
public final class KafkaAdmin: Sendable {
    private let client: RDKafkaClient
    private let configuration: KafkaConfiguration
    private let logger: Logger

    /// Creates an admin client (a producer handle that never produces).
    /// - Parameter name: how its log lines name it.
    /// - Throws: `KafkaError` with `.configuration` or `.clientCreation`.
    public init(configuration: KafkaConfiguration, name: String = "admin", logger: Logger) throws(KafkaError) {
        var properties = configuration.adminProperties()
        properties["log.connection.close"] = properties["log.connection.close"] ?? "false"
        let context = RDKafkaClientContext(name: name, logger: logger)
        self.configuration = configuration
        self.logger = logger
        self.client = try RDKafkaClient(kind: .producer, properties: properties, context: context)
    }

    /// Brokers, topics, partitions, leaders and replicas as the cluster reports them.
    /// - Throws: `KafkaError` (`.request`) when no broker answered within `timeout`.
    public func metadata(timeout: Duration) async throws(KafkaError) -> ClusterMetadata {
        try await client.metadata(timeoutMillis: Int32(clamping: timeout.milliseconds))
    }

    /// Creates topics with their partitions, replication factor and configs.
    /// - Returns: per topic name, nil when it was created, or the broker's error (e.g. `TOPIC_ALREADY_EXISTS`).
    /// - Throws: `KafkaError` (`.unsupported`) when the cluster did not answer within `timeout`.
    public func createTopics(_ topics: [TopicSpec], timeout: Duration) async throws(KafkaError) -> [String: KafkaError?] {
        try await client.createTopics(topics, timeoutMillis: Int32(clamping: timeout.milliseconds))
    }

    /// For each partition, the first offset whose record's timestamp is at or after the time given
    /// (milliseconds since the epoch), or the high watermark when every record is older. On a cluster
    /// that cannot look up offsets by time (the embedded one) the answer comes from a binary search
    /// over the records (``OffsetsForTimes``).
    public func offsets(forTimes times: [TopicPartition: Int64], timeout: Duration) async throws(KafkaError) -> [TopicPartition: Int64] {
        try await OffsetsForTimes(configuration: configuration, logger: logger, timeout: timeout).resolve(times, brokers: client)
    }

    /// The cluster's consumer groups, with their state and members.
    /// - Throws: `KafkaError`; `.unsupported` when the cluster does not answer ListGroups (librdkafka's
    ///   embedded cluster does not).
    public func listGroups(timeout: Duration) async throws(KafkaError) -> [ConsumerGroup] {
        try await client.groups(id: nil, timeoutMillis: Int32(clamping: timeout.milliseconds))
    }

    /// One consumer group, with its state and members.
    /// - Throws: `KafkaError`; `.unsupported` when the cluster does not answer DescribeGroups.
    public func describeGroup(_ id: String, timeout: Duration) async throws(KafkaError) -> ConsumerGroup {
        let groups = try await client.groups(id: id, timeoutMillis: Int32(clamping: timeout.milliseconds))
        guard let group = groups.first(where: { $0.id == id }) else {
            throw KafkaError(code: .request, message: "consumer group \(id) was not described by the cluster")
        }
        return group
    }

    /// The low and high watermark offsets of one partition: the high one minus the low one is the
    /// number of records the partition holds.
    public func watermarks(topic: String, partition: Int32, timeout: Duration) async throws(KafkaError) -> (low: Int64, high: Int64) {
        try await client.watermarks(topic: topic, partition: partition, timeoutMillis: Int32(clamping: timeout.milliseconds))
    }
}
