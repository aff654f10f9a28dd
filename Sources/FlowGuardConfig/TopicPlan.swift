import FlowGuardKafka

/// What `init-topics` and the console find for each topic of the file: the one rule for drift.
package struct TopicPlan: Sendable {
    package enum Status: Equatable, Sendable {
        case exists(String)
        case drift([String])
        case missing
    }

    package struct Entry: Sendable {
        package var topic: TopicSpec
        package var status: Status
    }

    package var entries: [Entry]

    package var hasDrift: Bool {
        entries.contains { if case .drift = $0.status { return true } else { return false } }
    }

    package init(file: TopicsFile, metadata: ClusterMetadata, verifyReplication: Bool) {
        entries = file.topics.map { topic in
            guard let existing = metadata.topic(named: topic.name) else {
                return Entry(topic: topic, status: .missing)
            }
            var differences: [String] = []
            if existing.partitions.count != topic.partitions {
                differences.append("partitions: \(existing.partitions.count) in the cluster, \(topic.partitions) in the file")
            }
            if verifyReplication && existing.replicationFactor != topic.replicationFactor {
                differences.append("replication: \(existing.replicationFactor) in the cluster, \(topic.replicationFactor) in the file")
            }
            if !differences.isEmpty {
                return Entry(topic: topic, status: .drift(differences))
            }
            let replication = verifyReplication
                ? "replication \(existing.replicationFactor)"
                : "replication not verifiable (the embedded cluster lists every broker as a replica)"
            return Entry(topic: topic, status: .exists("\(existing.partitions.count) partitions, \(replication)"))
        }
    }
}
