/// What a cluster says about its brokers and topics.
public struct ClusterMetadata: Sendable, Equatable {
    /// One broker.
    public struct Broker: Sendable, Equatable {
        public var id: Int32
        public var host: String
        public var port: Int
    }

    /// One partition of a topic.
    public struct Partition: Sendable, Equatable {
        public var id: Int32
        /// The leader's broker id, or -1 when the partition has none.
        public var leader: Int32
        public var replicas: [Int32]
        public var inSyncReplicas: [Int32]
        /// The broker's error for this partition (e.g. `LEADER_NOT_AVAILABLE`), if any.
        public var error: String?
    }

    /// One topic.
    public struct Topic: Sendable, Equatable {
        public var name: String
        public var partitions: [Partition]
        /// The broker's error for this topic (e.g. `UNKNOWN_TOPIC_OR_PART`), if any.
        public var error: String?

        /// The replication factor as the cluster reports it: the replica count of the first partition.
        public var replicationFactor: Int { partitions.first?.replicas.count ?? 0 }
    }

    public var brokers: [Broker]
    public var topics: [Topic]
    /// The broker that answered.
    public var originatingBrokerID: Int32

    /// The topic with this name, if the cluster reported it without error.
    public func topic(named name: String) -> Topic? {
        topics.first { $0.name == name && $0.error == nil }
    }
}
