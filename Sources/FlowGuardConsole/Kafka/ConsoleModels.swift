import FlowGuardConfig
import FlowGuardKafka

/// What the overview shows (page and `/api/overview` alike).
package struct OverviewModel: Sendable {
    package struct Broker: Sendable {
        package var id: Int32
        package var address: String
        package var reachable: Bool
    }

    package var bootstrap: String
    package var brokers: [Broker]
    package var topics: Int
    package var partitions: Int
    package var messages: Int64
    package var underReplicated: Int
    package var leaderless: Int
    package var snapshot: ClusterSnapshot
    package var gateway: GatewayHealth?
}

/// The gateway's `/health` as the overview shows it.
package struct GatewayHealth: Sendable {
    package var url: String
    /// The HTTP status, nil when it did not answer.
    package var status: Int?
    /// Its body, pretty-printed when JSON; or why it did not answer.
    package var detail: String
}

/// One row of the topics table.
package struct TopicSummary: Sendable {
    package var name: String
    package var partitions: Int
    package var replication: Int
    package var underReplicated: Int
    package var low: Int64
    package var high: Int64
    package var messages: Int64
    package var isInternal: Bool
    /// Differences from topics.yaml; nil when the file does not declare the topic.
    package var drift: [String]?
    /// Watermarks missing for some partition (its leader did not answer).
    package var incomplete: Bool
}

/// The topic page: per partition its placement and offsets.
package struct TopicDetail: Sendable {
    package struct Partition: Sendable {
        package var id: Int32
        package var leader: Int32
        package var replicas: [Int32]
        package var inSyncReplicas: [Int32]
        package var watermarks: Watermarks?
    }

    package var summary: TopicSummary
    package var partitions: [Partition]
    package var snapshot: ClusterSnapshot
}

/// Builds the models from the cluster: the one place each figure is computed.
package struct ConsoleModels: Sendable {
    let cluster: ConsoleCluster
    let configuration: ConsoleConfiguration

    package func overview(gateway: GatewayHealth?) async throws(ConsoleError) -> OverviewModel {
        let snapshot = try await cluster.snapshot()
        let topics = snapshot.topics(includeInternal: true)
        let marks = await watermarks(topics, snapshot)
        let partitions = topics.flatMap(\.partitions)
        return OverviewModel(
            bootstrap: cluster.configuration.bootstrapServers,
            brokers: snapshot.metadata.brokers.sorted { $0.id < $1.id }.map {
                .init(id: $0.id, address: "\($0.host):\($0.port)", reachable: snapshot.reachableBrokers.contains($0.id))
            },
            topics: topics.filter { !ClusterSnapshot.isInternal($0.name) }.count,
            partitions: partitions.count,
            messages: marks.values.reduce(0) { $0 + $1.count },
            underReplicated: partitions.filter(ClusterSnapshot.isUnderReplicated).count,
            leaderless: partitions.filter(snapshot.isLeaderless).count,
            snapshot: snapshot,
            gateway: gateway
        )
    }

    package func topics(includeInternal: Bool) async throws(ConsoleError) -> (ClusterSnapshot, [TopicSummary]) {
        let snapshot = try await cluster.snapshot()
        let topics = snapshot.topics(includeInternal: includeInternal)
        let marks = await watermarks(topics, snapshot)
        let drift = driftByTopic(snapshot.metadata)
        return (snapshot, topics.map { summary($0, marks: marks, drift: drift) })
    }

    package func topic(_ name: String) async throws(ConsoleError) -> TopicDetail {
        let (snapshot, topic) = try await cluster.topic(name)
        let marks = await watermarks([topic], snapshot)
        return TopicDetail(
            summary: summary(topic, marks: marks, drift: driftByTopic(snapshot.metadata)),
            partitions: topic.partitions.sorted { $0.id < $1.id }.map {
                .init(
                    id: $0.id, leader: $0.leader, replicas: $0.replicas, inSyncReplicas: $0.inSyncReplicas,
                    watermarks: marks[TopicPartition(topic: name, partition: $0.id)]
                )
            },
            snapshot: snapshot
        )
    }

    /// The watermarks of every partition of `topics`; none while the cluster does not answer (the
    /// pages then show the cached metadata without asking again and waiting out the timeout).
    private func watermarks(_ topics: [ClusterMetadata.Topic], _ snapshot: ClusterSnapshot) async -> [TopicPartition: Watermarks] {
        guard snapshot.staleReason == nil else { return [:] }
        return await cluster.watermarks(topics.flatMap { topic in topic.partitions.map { (topic: topic.name, partition: $0.id) } })
    }

    private func summary(_ topic: ClusterMetadata.Topic, marks: [TopicPartition: Watermarks], drift: [String: [String]]) -> TopicSummary {
        var low: Int64 = 0
        var high: Int64 = 0
        var messages: Int64 = 0
        var incomplete = false
        for partition in topic.partitions {
            guard let mark = marks[TopicPartition(topic: topic.name, partition: partition.id)] else {
                incomplete = true
                continue
            }
            low += mark.low
            high += mark.high
            messages += mark.count
        }
        return TopicSummary(
            name: topic.name, partitions: topic.partitions.count, replication: topic.replicationFactor,
            underReplicated: topic.partitions.filter(ClusterSnapshot.isUnderReplicated).count,
            low: low, high: high, messages: messages, isInternal: ClusterSnapshot.isInternal(topic.name),
            drift: drift[topic.name], incomplete: incomplete
        )
    }

    /// Per topic of topics.yaml, its differences from the cluster (`init-topics`' rule; retention is
    /// not compared: the console cannot read topic configs, and the embedded cluster has none).
    private func driftByTopic(_ metadata: ClusterMetadata) -> [String: [String]] {
        guard let file = configuration.topicsFile else { return [:] }
        var result: [String: [String]] = [:]
        for entry in TopicPlan(file: file, metadata: metadata, verifyReplication: !configuration.embeddedCluster).entries {
            switch entry.status {
            case .drift(let differences): result[entry.topic.name] = differences
            case .exists: result[entry.topic.name] = []
            case .missing: break
            }
        }
        return result
    }
}
