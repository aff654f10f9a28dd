import FlowGuardSupport
import Logging
import ServiceLifecycle

/// An in-memory Kafka cluster (librdkafka's mock cluster) on loopback, for development and tests.
///
/// It speaks the real Kafka protocol and can inject faults. Limits of librdkafka 2.0.2's mock: it does
/// not answer CreateTopics, auto-creates unknown topics with 4 partitions on produce, keeps at most
/// about 5 MiB per partition, and lists every broker as a replica of every partition.
public final class EmbeddedCluster: Service, Sendable {
    /// A broker error to inject into requests.
    public struct RequestError: Sendable, Hashable {
        /// librdkafka's numeric code.
        public let code: Int32
        /// Kafka's name for it.
        public let name: String

        /// The error with this Kafka name, e.g. `NOT_LEADER_FOR_PARTITION`; nil when unknown.
        public init?(name: String) {
            guard let code = Self.code(named: name) else { return nil }
            self.code = code
            self.name = name
        }

        public static let notLeaderForPartition = RequestError(name: "NOT_LEADER_FOR_PARTITION")!
        public static let requestTimedOut = RequestError(name: "REQUEST_TIMED_OUT")!
        public static let notEnoughReplicas = RequestError(name: "NOT_ENOUGH_REPLICAS")!
        public static let messageTooLarge = RequestError(name: "MSG_SIZE_TOO_LARGE")!
        public static let topicAuthorizationFailed = RequestError(name: "TOPIC_AUTHORIZATION_FAILED")!
    }

    /// Kafka API keys whose requests can fail on purpose.
    public enum APIKey: Int16, Sendable {
        case produce = 0
        case fetch = 1
        case metadata = 3
        case offsetCommit = 8
    }

    private let cluster: RDKafkaMockCluster
    private let logger: Logger
    /// How many brokers run.
    public let brokerCount: Int
    /// The `bootstrap.servers` string to give clients.
    public var bootstrapServers: String { cluster.bootstrapServers }
    /// The broker ids: 1 through `brokerCount`.
    public var brokerIDs: [Int32] { (1...Int32(brokerCount)).map { $0 } }

    /// Starts the cluster and creates the topics.
    /// - Throws: `KafkaError` (`.mockCluster`) when it cannot start or a topic cannot be created.
    public init(brokers: Int = 3, topics: [TopicSpec] = [], logger: Logger) throws(KafkaError) {
        guard brokers >= 1 else {
            throw KafkaError(code: .mockCluster, message: "an embedded cluster needs at least 1 broker, got \(brokers)")
        }
        self.cluster = try RDKafkaMockCluster(brokers: brokers, logger: logger)
        self.brokerCount = brokers
        self.logger = logger
        for topic in topics {
            try createTopic(topic)
        }
    }

    /// Creates a topic; its replication factor is capped at the broker count, with a warning.
    public func createTopic(_ topic: TopicSpec) throws(KafkaError) {
        var replication = topic.replicationFactor
        if replication > brokerCount {
            logger.warning(
                "Replication factor capped at the broker count",
                metadata: [
                    LoggingKeys.topic: .string(topic.name),
                    "replication.asked": "\(replication)",
                    "replication.used": "\(brokerCount)",
                ]
            )
            replication = brokerCount
        }
        try cluster.createTopic(name: topic.name, partitions: topic.partitions, replicationFactor: replication)
    }

    /// Takes a broker down: its connections close and it refuses new ones.
    public func setBrokerDown(_ id: Int32) throws(KafkaError) { try cluster.setBroker(id, up: false) }

    /// Brings a broker back up.
    public func setBrokerUp(_ id: Int32) throws(KafkaError) { try cluster.setBroker(id, up: true) }

    /// Adds a round-trip delay to every request a broker answers.
    public func setRoundTripTime(broker: Int32, milliseconds: Int) throws(KafkaError) {
        try cluster.setRoundTripTime(broker: broker, milliseconds: milliseconds)
    }

    /// Makes a broker the leader of a partition.
    public func setPartitionLeader(topic: String, partition: Int32, broker: Int32) throws(KafkaError) {
        try cluster.setPartitionLeader(topic: topic, partition: partition, broker: broker)
    }

    /// The next requests of this kind fail with these errors, one each, in order.
    public func pushRequestErrors(_ apiKey: APIKey, _ errors: [RequestError]) {
        cluster.pushRequestErrors(apiKey: apiKey.rawValue, errors: errors.map(\.code))
    }

    /// Forgets the injected errors not yet used.
    public func clearRequestErrors(_ apiKey: APIKey) {
        cluster.clearRequestErrors(apiKey: apiKey.rawValue)
    }

    /// Keeps the cluster up until graceful shutdown.
    public func run() async throws {
        try? await gracefulShutdown()
    }
}
