/// One node of a parsed YAML document, with the 1-based position where it starts in the source.
struct YAMLNode: Sendable {
    /// How a scalar was written; quoting decides whether `3` is a number or a string.
    enum ScalarStyle: Sendable, Equatable {
        case plain
        case singleQuoted
        case doubleQuoted
        case literal
        case folded
    }

    /// The shape of a node and its content.
    enum Kind: Sendable {
        /// A scalar with its text exactly as YAML resolved it (escapes applied, no type conversion).
        case scalar(String, style: ScalarStyle)
        /// A sequence in source order.
        case sequence([YAMLNode])
        /// A mapping in source order; duplicate keys are kept so that callers can report them.
        case mapping([(key: YAMLNode, value: YAMLNode)])
    }

    /// The node's content.
    var kind: Kind
    /// The 1-based line where the node starts.
    var line: Int
    /// The 1-based column (in characters) where the node starts.
    var column: Int

    init(_ kind: Kind, line: Int, column: Int) {
        self.kind = kind
        self.line = line
        self.column = column
    }
}
