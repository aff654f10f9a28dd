import FlowGuardKafka
import FlowGuardSupport
import FoundationEssentials
import Logging

/// The console's one way to Kafka: an admin client whose every call has a deadline, and the last
/// metadata it read, which pages keep showing (with its age) while the cluster does not answer.
package actor ConsoleCluster {
    package let configuration: KafkaConfiguration
    package let timeout: Duration
    private let admin: KafkaAdmin
    private let logger: Logger
    private var cached: ClusterSnapshot?

    /// The metadata last read, without asking Kafka (for `/metrics`, which must not wait on it).
    package var cachedSnapshot: ClusterSnapshot? { cached }
    /// Metadata younger than this is served from the cache: a page reads it several times, and a
    /// broker that went down still shows within a few seconds.
    private let freshness: Duration = .seconds(1)

    /// - Throws: `KafkaError` when the admin client cannot be created (a configuration error).
    package init(configuration: KafkaConfiguration, timeout: Duration, logger: Logger) throws(KafkaError) {
        self.configuration = configuration
        self.timeout = timeout
        self.admin = try KafkaAdmin(configuration: configuration, name: "console", logger: logger)
        self.logger = logger
    }

    /// The current metadata, or the last one read (with `staleReason`) when the cluster does not
    /// answer within the timeout.
    /// - Throws: `ConsoleError` 503 when it never answered.
    package func snapshot() async throws(ConsoleError) -> ClusterSnapshot {
        if let cached, cached.staleReason == nil, ContinuousClock.now - cached.fetchedAt < freshness {
            return cached
        }
        do {
            let metadata = try await admin.metadata(timeout: timeout)
            let reachable = await Self.reachableBrokers(metadata, timeout: min(timeout, .seconds(1)))
            let snapshot = ClusterSnapshot(
                metadata: metadata, reachableBrokers: reachable, fetchedAtMillis: Self.nowMillis(),
                fetchedAt: .now, staleReason: nil
            )
            cached = snapshot
            return snapshot
        } catch {
            let reason = "Kafka at \(configuration.bootstrapServers) did not answer within \(timeout.optionText): \(error.message)"
            logger.warning("Console: metadata refresh failed", metadata: [LoggingKeys.errorMessage: .string(error.message)])
            guard var stale = cached else { throw .unavailable(reason) }
            stale.staleReason = reason
            // Nothing answers: none of the cached brokers is known to be reachable now.
            stale.reachableBrokers = []
            cached = stale
            return stale
        }
    }

    /// One topic of the current snapshot.
    /// - Throws: `ConsoleError` 404 for an unknown topic, 503 when Kafka never answered.
    package func topic(_ name: String) async throws(ConsoleError) -> (ClusterSnapshot, ClusterMetadata.Topic) {
        let snapshot = try await snapshot()
        guard let topic = snapshot.metadata.topic(named: name) else {
            throw .notFound("topic '\(name)' does not exist at \(configuration.bootstrapServers)")
        }
        return (snapshot, topic)
    }

    /// The watermarks of each partition; a partition whose broker did not answer in time is absent,
    /// and so is one whose leader the last snapshot found unreachable: the admin client asks one
    /// partition at a time, and each of those would wait out the whole timeout.
    package func watermarks(_ partitions: [(topic: String, partition: Int32)]) async -> [TopicPartition: Watermarks] {
        let admin = self.admin
        let timeout = self.timeout
        let asked = partitions.filter { topic, partition in
            guard let cached, let leader = cached.metadata.topic(named: topic)?.partitions.first(where: { $0.id == partition })?.leader else {
                return true
            }
            return leader >= 0 && cached.reachableBrokers.contains(leader)
        }
        return await withTaskGroup(of: (TopicPartition, Watermarks?).self) { group in
            for (topic, partition) in asked {
                group.addTask {
                    let key = TopicPartition(topic: topic, partition: partition)
                    guard let marks = try? await admin.watermarks(topic: topic, partition: partition, timeout: timeout) else {
                        return (key, nil)
                    }
                    return (key, Watermarks(low: marks.low, high: marks.high))
                }
            }
            var result: [TopicPartition: Watermarks] = [:]
            for await (key, marks) in group {
                if let marks { result[key] = marks }
            }
            return result
        }
    }

    /// The watermarks of every partition of `topic`.
    /// - Throws: `ConsoleError` 503 when a partition's broker did not answer.
    package func watermarks(of topic: ClusterMetadata.Topic) async throws(ConsoleError) -> [Int32: Watermarks] {
        let marks = await watermarks(topic.partitions.map { (topic: topic.name, partition: $0.id) })
        var result: [Int32: Watermarks] = [:]
        for partition in topic.partitions {
            guard let mark = marks[TopicPartition(topic: topic.name, partition: partition.id)] else {
                throw .unavailable("the leader of \(topic.name)[\(partition.id)] is unreachable or did not answer within \(timeout.optionText)")
            }
            result[partition.id] = mark
        }
        return result
    }

    private static func reachableBrokers(_ metadata: ClusterMetadata, timeout: Duration) async -> Set<Int32> {
        await withTaskGroup(of: Int32?.self) { group in
            for broker in metadata.brokers {
                group.addTask {
                    await TCPProbe.canConnect(host: broker.host, port: broker.port, timeout: timeout) ? broker.id : nil
                }
            }
            var reachable: Set<Int32> = []
            for await id in group {
                if let id { reachable.insert(id) }
            }
            return reachable
        }
    }

    package static func nowMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}


extension ConsoleCluster {
    /// The first offset at or after `millis` in each partition (the high watermark where none is).
    /// - Throws: `ConsoleError` 503 when Kafka did not answer.
    package func offsets(forTimestamp millis: Int64, topic: String, partitions: [Int32]) async throws(ConsoleError) -> [Int32: Int64] {
        let times = Dictionary(uniqueKeysWithValues: partitions.map { (TopicPartition(topic: topic, partition: $0), millis) })
        do {
            let found = try await admin.offsets(forTimes: times, timeout: timeout)
            return Dictionary(uniqueKeysWithValues: found.map { ($0.key.partition, $0.value) })
        } catch {
            throw .unavailable("Kafka did not find the offsets for \(RFC3339.format(millis: millis)) within \(timeout.optionText): \(error.message)")
        }
    }

    /// Every group the cluster lists, with its state and members.
    /// - Throws: `KafkaError` (`.unsupported` at once on a cluster without ListGroups, as the embedded one).
    package func listGroups() async throws(KafkaError) -> [ConsumerGroup] {
        try await admin.listGroups(timeout: timeout)
    }

    /// One group's state and members.
    package func describeGroup(_ id: String) async throws(KafkaError) -> ConsumerGroup {
        try await admin.describeGroup(id, timeout: timeout)
    }

    /// A group's committed offsets, read without joining it (a consumer of the group that never
    /// subscribes and commits nothing by itself).
    package func committed(group: String, partitions: [TopicPartition]) async throws(ConsoleError) -> [TopicPartition: Int64] {
        do {
            let consumer = try KafkaConsumer(configuration: configuration, groupID: group, autoCommit: false, logger: logger)
            defer { Task { await consumer.close() } }
            return try await consumer.committed(partitions, timeout: timeout)
        } catch {
            throw .unavailable("Kafka did not give the committed offsets of group '\(group)' within \(timeout.optionText): \(error.message)")
        }
    }

    /// Sets a group's committed offsets (each the next offset the group reads).
    package func commit(group: String, offsets: [TopicPartition: Int64]) async throws(ConsoleError) {
        do {
            let consumer = try KafkaConsumer(configuration: configuration, groupID: group, autoCommit: false, logger: logger)
            defer { Task { await consumer.close() } }
            try await consumer.commit(offsets)
        } catch {
            throw .unavailable("Kafka did not take the offsets of group '\(group)': \(error.message)")
        }
    }
}
