import FlowGuardKafka

/// The cluster's metadata as the console last read it, with which brokers answered and when.
package struct ClusterSnapshot: Sendable {
    package var metadata: ClusterMetadata
    /// Brokers that accepted a TCP connection at `fetchedAt`.
    package var reachableBrokers: Set<Int32>
    /// When it was read, in milliseconds since the epoch.
    package var fetchedAtMillis: Int64
    /// When it was read, for its age.
    package var fetchedAt: ContinuousClock.Instant
    /// Why the latest refresh failed, when this is an older copy; nil when it is fresh.
    package var staleReason: String?

    /// Whole seconds since it was read.
    package var ageSeconds: Int64 { (ContinuousClock.now - fetchedAt).components.seconds }

    /// Topics, Kafka's own (`__consumer_offsets`, names starting with `_`) included only when asked.
    package func topics(includeInternal: Bool) -> [ClusterMetadata.Topic] {
        metadata.topics.filter { $0.error == nil && (includeInternal || !Self.isInternal($0.name)) }
            .sorted { $0.name < $1.name }
    }

    /// Kafka's internal topics start with an underscore.
    package static func isInternal(_ name: String) -> Bool { name.hasPrefix("_") }

    /// A partition is under-replicated when fewer replicas are in sync than are assigned.
    package static func isUnderReplicated(_ partition: ClusterMetadata.Partition) -> Bool {
        partition.inSyncReplicas.count < partition.replicas.count
    }

    /// A partition without a leader, or led by a broker that does not answer.
    package func isLeaderless(_ partition: ClusterMetadata.Partition) -> Bool {
        partition.leader < 0 || !reachableBrokers.contains(partition.leader)
    }
}

/// One partition's offsets: `high - low` records.
package struct Watermarks: Sendable, Equatable {
    package var low: Int64
    package var high: Int64
    package var count: Int64 { max(0, high - low) }
}
