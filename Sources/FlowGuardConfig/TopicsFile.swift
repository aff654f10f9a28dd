import FlowGuardKafka
import FlowGuardSupport
import FoundationEssentials

/// The topics FlowGuard writes to, read from `config/kafka/topics.yaml`.
public struct TopicsFile: Sendable, Equatable {
    /// The file the topics were read from.
    public var path: String
    /// The topics in file order; names are unique.
    public var topics: [TopicSpec]

    /// Creates a topics file from values already at hand.
    /// - Parameters:
    ///   - path: The file the topics belong to.
    ///   - topics: The topics in file order.
    public init(path: String, topics: [TopicSpec]) {
        self.path = path
        self.topics = topics
    }

    /// Reads and validates a topics file.
    /// - Parameter path: The file to read, absolute or relative to the working directory.
    /// - Throws: `TopicsFileError` naming the file when it cannot be read, and naming line, column and
    ///   key path when its content is invalid.
    public static func load(path: String) throws(TopicsFileError) -> TopicsFile {
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TopicsFileError(path: path, message: "cannot read the topics file: no such file")
        }
        guard !isDirectory else {
            throw TopicsFileError(path: path, message: "cannot read the topics file: it is a directory")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TopicsFileError(path: path, message: "cannot read the topics file: permission denied or I/O error")
        }
        return try TopicsFileDecoder(path: path).decode(Array(data))
    }

    /// Validates the text of a topics file.
    /// - Parameters:
    ///   - text: The YAML text.
    ///   - path: The file name to put in errors.
    /// - Throws: `TopicsFileError` naming line, column and key path of the first problem.
    public static func parse(_ text: String, path: String) throws(TopicsFileError) -> TopicsFile {
        try TopicsFileDecoder(path: path).decode(Array(text.utf8))
    }

    /// The topic with this exact name, if the file declares it.
    public func topic(named name: String) -> TopicSpec? {
        topics.first { $0.name == name }
    }
}

extension TopicsFile {
    /// Where the commands look for the topics file when not told otherwise.
    public static let defaultPath = "config/kafka/topics.yaml"
}

extension CommandOption {
    /// `--topics`, of every command that reads the topics file (`--file` is its older spelling).
    public static let topicsFile = CommandOption(
        "topics", value: "FILE", environment: "FLOWGUARD_TOPICS_FILE", default: TopicsFile.defaultPath, aliases: ["file"],
        help: "the topics file"
    )
}
