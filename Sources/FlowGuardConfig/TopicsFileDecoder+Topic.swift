import FlowGuardKafka

extension TopicsFileDecoder {
    /// The largest partition count Kafka's CreateTopics request can carry (an INT32).
    static let maxPartitions = Int(Int32.max)
    /// The largest replication factor Kafka's CreateTopics request can carry (an INT16).
    static let maxReplicationFactor = Int(Int16.max)

    /// Decodes one entry of `topics`; also returns the name's node so duplicates can point at it.
    func topic(_ node: YAMLNode, at keyPath: String) throws(TopicsFileError) -> (TopicSpec, nameNode: YAMLNode) {
        let entry = try fields(of: node, at: keyPath, mustBe: "a mapping with keys name, partitions and replication_factor")
        try rejectUnknownKeys(in: entry, allowed: Self.topicKeys, at: keyPath)
        let nameNode = try required("name", in: entry, of: node, at: keyPath)
        let partitionsNode = try required("partitions", in: entry, of: node, at: keyPath)
        let replicationNode = try required("replication_factor", in: entry, of: node, at: keyPath)
        let spec = TopicSpec(
            name: try topicName(nameNode, at: "\(keyPath).name"),
            partitions: try integer(partitionsNode, at: "\(keyPath).partitions", max: Self.maxPartitions),
            replicationFactor: try integer(replicationNode, at: "\(keyPath).replication_factor", max: Self.maxReplicationFactor),
            description: try optionalString(entry["description"]?.value, at: "\(keyPath).description"),
            config: try topicConfig(entry["config"]?.value, at: "\(keyPath).config")
        )
        return (spec, nameNode)
    }

    /// The value of a required key; a missing key is reported at the entry's position.
    private func required(_ name: String, in entry: YAMLFields, of node: YAMLNode, at keyPath: String) throws(TopicsFileError) -> YAMLNode {
        guard let field = entry[name] else {
            throw failure(at: node, key: "\(keyPath).\(name)", "missing required key '\(name)'")
        }
        return field.value
    }

    private func topicName(_ node: YAMLNode, at keyPath: String) throws(TopicsFileError) -> String {
        guard let name = node.scalarText, !node.isNull else {
            throw failure(at: node, key: keyPath, "must be a topic name, got \(node.summary)")
        }
        if let problem = KafkaTopicName.problem(with: name) {
            throw failure(at: node, key: keyPath, problem)
        }
        return name
    }

    private func topicConfig(_ node: YAMLNode?, at keyPath: String) throws(TopicsFileError) -> [String: String] {
        guard let node, !node.isNull else { return [:] }
        let mapping = try fields(of: node, at: keyPath, mustBe: "a mapping of Kafka topic configs (name: value)")
        var config: [String: String] = [:]
        for field in mapping.fields {
            guard !field.name.isEmpty else {
                throw failure(at: field.key, key: keyPath, "config name must not be empty")
            }
            let fieldPath = "\(keyPath).\(field.name)"
            guard let value = field.value.scalarText, !field.value.isNull else {
                throw failure(at: field.value, key: fieldPath, "must be a single value (string or number), got \(field.value.summary)")
            }
            config[field.name] = value
        }
        return config
    }
}
