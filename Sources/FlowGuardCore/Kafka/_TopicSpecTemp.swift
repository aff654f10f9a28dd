public struct TopicSpec: Sendable, Equatable {
    public var name: String
    public var partitions: Int
    public var replicationFactor: Int
    public var description: String?
    public var config: [String: String]
    public init(name: String, partitions: Int, replicationFactor: Int, description: String? = nil, config: [String: String] = [:]) {
        self.name = name; self.partitions = partitions; self.replicationFactor = replicationFactor; self.description = description; self.config = config
    }
}
public struct TopicsFileError: Error, CustomStringConvertible { public var description: String { "" } }
public struct TopicsFile: Sendable { public var topics: [TopicSpec]; public static func load(path: String) throws(TopicsFileError) -> TopicsFile { TopicsFile(topics: []) } }
