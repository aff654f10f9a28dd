/// One Kafka topic FlowGuard writes to, as declared in `config/kafka/topics.yaml`.
public struct TopicSpec: Sendable, Equatable {
    /// The topic name; valid per Kafka's rules (`[a-zA-Z0-9._-]`, 1…249 characters, not `.` or `..`).
    public var name: String
    /// The number of partitions, at least 1.
    public var partitions: Int
    /// The number of replicas of each partition, at least 1.
    public var replicationFactor: Int
    /// What the topic carries, for people reading the file.
    public var description: String?
    /// Kafka topic configs such as `retention.ms`, with values as written (`"604800000"`, `"delete"`).
    public var config: [String: String]

    /// Creates a topic declaration.
    /// - Parameters:
    ///   - name: The topic name.
    ///   - partitions: The number of partitions.
    ///   - replicationFactor: The number of replicas of each partition.
    ///   - description: What the topic carries.
    ///   - config: Kafka topic configs, values as strings.
    public init(name: String, partitions: Int, replicationFactor: Int, description: String? = nil, config: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.description = description
        self.config = config
    }
}
