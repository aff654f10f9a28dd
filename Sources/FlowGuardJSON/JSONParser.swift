/// Parses JSON text strictly according to RFC 8259.
///
/// The input must be exactly one value surrounded by optional whitespace, encoded as valid UTF-8.
/// Besides the grammar, the parser rejects duplicate keys within one object and nesting deeper than
/// `maxDepth`. It never recurses, so hostile input such as 10,000 opening brackets fails cleanly.
/// Keep `maxDepth` modest all the same: Swift releases a nested ``JSONValue`` recursively, and a
/// value thousands of levels deep can exhaust a small task stack when it is freed.
public enum JSONParser {
    /// The default limit on nested arrays and objects.
    public static let defaultMaxDepth = 64

    /// Parses one JSON text from contiguous bytes.
    /// - Parameters:
    ///   - bytes: The UTF-8 encoded JSON text.
    ///   - maxDepth: The largest number of arrays and objects that may enclose one another.
    /// - Throws: ``JSONParseError`` with the offset of the first offending byte.
    public static func parse(
        _ bytes: UnsafeRawBufferPointer,
        maxDepth: Int = defaultMaxDepth
    ) throws(JSONParseError) -> JSONValue {
        var scanner = JSONScanner(input: bytes, maxDepth: maxDepth)
        return try scanner.parseDocument()
    }

    /// Parses one JSON text from any byte collection, such as `[UInt8]`, `ArraySlice<UInt8>` or a string's `utf8`.
    /// - Parameters:
    ///   - bytes: The UTF-8 encoded JSON text.
    ///   - maxDepth: The largest number of arrays and objects that may enclose one another.
    /// - Throws: ``JSONParseError`` with the offset of the first offending byte.
    public static func parse(
        _ bytes: some Collection<UInt8>,
        maxDepth: Int = defaultMaxDepth
    ) throws(JSONParseError) -> JSONValue {
        let contiguous = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONParseError) in
                try parse(UnsafeRawBufferPointer(buffer), maxDepth: maxDepth)
            }
        }
        if let contiguous {
            return try contiguous.get()
        }
        return try Array(bytes).withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) in try parse(buffer, maxDepth: maxDepth) }
        }.get()
    }
}
