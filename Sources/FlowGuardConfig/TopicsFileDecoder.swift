import FlowGuardKafka

/// Turns the YAML of a topics file into `TopicSpec`s, checking every rule of the format.
struct TopicsFileDecoder {
    /// The keys allowed at the top level.
    static let topLevelKeys = ["topics"]
    /// The keys allowed in a topic entry.
    static let topicKeys = ["name", "description", "partitions", "replication_factor", "config"]

    /// The file name put in errors.
    let path: String

    /// Parses and validates the text of a topics file.
    /// - Throws: `TopicsFileError` for the first problem found, in file order as far as possible.
    func decode(_ bytes: [UInt8]) throws(TopicsFileError) -> TopicsFile {
        let document: YAMLNode?
        do {
            document = try YAMLParser.parseDocument(bytes)
        } catch {
            throw TopicsFileError(path: path, line: error.line, column: error.column, message: error.message)
        }
        guard let root = document, !root.isNull else {
            throw TopicsFileError(path: path, line: 1, column: 1, key: "topics", message: "missing required key 'topics'; the file is empty")
        }
        let top = try fields(of: root, at: nil, mustBe: "a mapping with a 'topics' key")
        try rejectUnknownKeys(in: top, allowed: Self.topLevelKeys, at: nil)
        guard let topics = top["topics"] else {
            throw failure(at: root, key: "topics", "missing required key 'topics'")
        }
        let entries = try topicEntries(topics.value)

        var specs: [TopicSpec] = []
        var declared: [String: (name: String, line: Int, index: Int)] = [:]
        for (index, entry) in entries.enumerated() {
            let keyPath = "topics[\(index)]"
            let (spec, nameNode) = try topic(entry, at: keyPath)
            let collisionKey = KafkaTopicName.collisionKey(spec.name)
            if let first = declared[collisionKey] {
                let message = first.name == spec.name
                    ? "duplicate topic name '\(spec.name)'; first declared at line \(first.line) (topics[\(first.index)])"
                    : "topic name '\(spec.name)' collides with '\(first.name)' at line \(first.line) (topics[\(first.index)]); "
                        + "Kafka treats '.' and '_' as the same character in topic metric names"
                throw failure(at: nameNode, key: "\(keyPath).name", message)
            }
            declared[collisionKey] = (spec.name, nameNode.line, index)
            specs.append(spec)
        }
        return TopicsFile(path: path, topics: specs)
    }

    private func topicEntries(_ node: YAMLNode) throws(TopicsFileError) -> [YAMLNode] {
        if node.isNull {
            throw failure(at: node, key: "topics", "must list at least one topic, got nothing (null)")
        }
        guard case .sequence(let entries) = node.kind else {
            throw failure(at: node, key: "topics", "must be a sequence of topics (entries starting with '- '), got \(node.summary)")
        }
        guard !entries.isEmpty else {
            throw failure(at: node, key: "topics", "must list at least one topic")
        }
        return entries
    }

    /// An error at a node's position.
    func failure(at node: YAMLNode, key: String?, _ message: String) -> TopicsFileError {
        TopicsFileError(path: path, line: node.line, column: node.column, key: key, message: message)
    }
}
