/// Why a topics file could not be read, with where in the file and under which key the problem is.
public struct TopicsFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as it was named to `TopicsFile.load(path:)` or `TopicsFile.parse(_:path:)`.
    public var path: String
    /// The 1-based line of the problem; nil when the file could not be read at all.
    public var line: Int?
    /// The 1-based column (in characters) of the problem; nil when the file could not be read at all.
    public var column: Int?
    /// The key path of the offending value, such as `topics[1].partitions`; nil for syntax errors
    /// and problems with the document as a whole.
    public var key: String?
    /// A short human description, such as `must be an integer >= 1, got 0`.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - path: The file.
    ///   - line: The 1-based line of the problem.
    ///   - column: The 1-based column of the problem.
    ///   - key: The key path of the offending value.
    ///   - message: A short human description.
    public init(path: String, line: Int? = nil, column: Int? = nil, key: String? = nil, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    /// The error as a compiler-style line: `config/kafka/topics.yaml:12:5: topics[1].partitions: must be …`.
    public var description: String {
        var text = path
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        text += ": "
        if let key { text += "\(key): " }
        return text + message
    }
}
