extension YAMLParser {
    /// Parses a stream that holds at most one document and returns its root node.
    /// - Parameter bytes: UTF-8 YAML text.
    /// - Returns: The document's root, or nil when the stream is empty (nothing but blanks and comments).
    /// - Throws: `YAMLError` for invalid YAML, anchors, aliases, tags or a second document.
    static func parseDocument(_ bytes: [UInt8]) throws(YAMLError) -> YAMLNode? {
        let parser = try YAMLParser(bytes: bytes)
        var builder = YAMLTreeBuilder()
        while !builder.isFinished {
            try builder.consume(parser.nextEvent())
        }
        return builder.root
    }
}
