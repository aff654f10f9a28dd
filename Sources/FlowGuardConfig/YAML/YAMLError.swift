/// Why a text is not a YAML document FlowGuard can read, with the 1-based position of the problem.
struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line of the problem.
    var line: Int
    /// The 1-based column (in characters) of the problem.
    var column: Int
    /// A short human description, such as `tab character used for indentation`.
    var message: String

    init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    var description: String {
        "\(line):\(column): \(message)"
    }
}
