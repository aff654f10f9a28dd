/// The parsing state behind ``JSONParser``: a cursor over the input and an explicit stack of open
/// containers, so that nesting depth costs heap memory rather than call stack.
package struct JSONScanner {
    /// An array or object that has been opened but not yet closed.
    private struct Frame {
        var isObject: Bool
        /// Where this container's values start in the shared value stack.
        var valueStart: Int
        /// Where this container's keys start in the shared key stack (objects only).
        var keyStart: Int
        /// The keys seen so far, built once an object grows past ``JSONScanner/linearKeySearchLimit``.
        var keySet: Set<String>?
    }

    /// Objects with up to this many members are checked for duplicate keys by a linear search.
    static let linearKeySearchLimit = 16

    package let input: UnsafeRawBufferPointer
    let maxDepth: Int
    /// The offset of the next byte to read.
    package var offset = 0
    /// Reused storage for strings that contain escapes.
    var scratch: [UInt8] = []

    private var frames: [Frame] = []
    private var values: [JSONValue] = []
    private var keys: [String] = []

    package init(input: UnsafeRawBufferPointer, maxDepth: Int) {
        self.input = input
        self.maxDepth = maxDepth
    }

    /// Parses the whole input as one JSON text.
    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        try expectEnd()
        return value
    }

    /// Requires that nothing but whitespace follows the cursor.
    package mutating func expectEnd() throws(JSONParseError) {
        skipWhitespace()
        guard offset == input.count else {
            throw error("unexpected data after the JSON value")
        }
    }

    /// Parses the one value at the cursor, scalar or container, and leaves the cursor right after it.
    package mutating func parseValue() throws(JSONParseError) -> JSONValue {
        // Containers opened by a caller (``parseObject(_:)``, ``parseArray(_:)``) stay below this one.
        let base = frames.count
        while true {
            guard var value = try parseValueOrOpenContainer() else { continue }
            while true {
                guard frames.count > base else { return value }
                values.append(value)
                if try continueContainer(frameIndex: frames.count - 1) { break }
                value = closeContainer()
            }
        }
    }

    /// Parses the object whose `{` is at the cursor member by member, without building it: each key
    /// and value goes to `member` as soon as it is read. The same rules apply as in
    /// ``parseDocument()`` (duplicate keys, depth, every error at the same offset).
    package mutating func parseObject(_ member: (_ key: String, _ value: JSONValue) -> Void) throws(JSONParseError) {
        guard try openContainer(isObject: true) else { return }
        let frameIndex = frames.count - 1
        repeat {
            let value = try parseValue()
            member(keys[keys.count - 1], value)
        } while try continueContainer(frameIndex: frameIndex)
        let frame = frames.removeLast()
        keys.removeSubrange(frame.keyStart...)
    }

    /// Parses the array whose `[` is at the cursor element by element, without building it: `element`
    /// is called with each element's index and must consume exactly one value at the cursor.
    package mutating func parseArray(
        _ element: (_ scanner: inout JSONScanner, _ index: Int) throws(JSONParseError) -> Void
    ) throws(JSONParseError) {
        guard try openContainer(isObject: false) else { return }
        let frameIndex = frames.count - 1
        var index = 0
        repeat {
            try element(&self, index)
            index += 1
        } while try continueContainer(frameIndex: frameIndex)
        frames.removeLast()
    }

    /// Consumes the opening bracket at the cursor. An empty container is consumed whole and gives
    /// false; otherwise its frame is pushed, an object's first key is read, and the cursor is left at
    /// the first value.
    private mutating func openContainer(isObject: Bool) throws(JSONParseError) -> Bool {
        try checkDepth()
        offset += 1
        skipWhitespace()
        if try peekByte() == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
            offset += 1
            return false
        }
        frames.append(Frame(isObject: isObject, valueStart: values.count, keyStart: keys.count, keySet: nil))
        if isObject {
            try parseKey(frameIndex: frames.count - 1, commaOffset: nil)
        }
        return true
    }

    /// After a member or element of the container in `frames[frameIndex]`: consumes a comma (and an
    /// object's next key) and gives true, or the closing bracket and gives false.
    private mutating func continueContainer(frameIndex: Int) throws(JSONParseError) -> Bool {
        skipWhitespace()
        let byte = try peekByte()
        let isObject = frames[frameIndex].isObject
        if byte == UInt8(ascii: ",") {
            let commaOffset = offset
            offset += 1
            skipWhitespace()
            if isObject {
                try parseKey(frameIndex: frameIndex, commaOffset: commaOffset)
            } else if try peekByte() == UInt8(ascii: "]") {
                throw JSONParseError(byteOffset: commaOffset, message: "trailing comma in array")
            }
            return true
        }
        guard byte == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
            throw error(isObject ? "expected ',' or '}' after object member" : "expected ',' or ']' after array element")
        }
        offset += 1
        return false
    }

    /// Parses a scalar or an empty container and returns it, or opens a non-empty container and returns nil.
    private mutating func parseValueOrOpenContainer() throws(JSONParseError) -> JSONValue? {
        let byte = try peekByte()
        switch byte {
        case UInt8(ascii: "{"):
            return try openContainer(isObject: true) ? nil : .object(JSONObject())
        case UInt8(ascii: "["):
            return try openContainer(isObject: false) ? nil : .array([])
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        case UInt8(ascii: "t"):
            try parseLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try parseLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try parseLiteral("null")
            return .null
        default:
            throw error("unexpected \(Self.describe(byte)), expected a value")
        }
    }

    private func checkDepth() throws(JSONParseError) {
        guard frames.count < maxDepth else {
            throw error("nesting exceeds the maximum depth of \(maxDepth)")
        }
    }

    /// Parses `"key" :` inside the innermost open object and leaves the cursor at the member's value.
    private mutating func parseKey(frameIndex: Int, commaOffset: Int?) throws(JSONParseError) {
        let byte = try peekByte()
        guard byte == UInt8(ascii: "\"") else {
            if byte == UInt8(ascii: "}"), let commaOffset {
                throw JSONParseError(byteOffset: commaOffset, message: "trailing comma in object")
            }
            throw error("expected a string key in object")
        }
        let keyOffset = offset
        let key = try parseString()
        if isDuplicate(key, frameIndex: frameIndex) {
            throw JSONParseError(byteOffset: keyOffset, message: "duplicate key \"\(Self.abbreviate(key))\"")
        }
        keys.append(key)
        skipWhitespace()
        guard try peekByte() == UInt8(ascii: ":") else {
            throw error("expected ':' after object key")
        }
        offset += 1
        skipWhitespace()
    }

    /// Whether `key` is already a member of the object in `frames[frameIndex]`; remembers it otherwise.
    private mutating func isDuplicate(_ key: String, frameIndex: Int) -> Bool {
        let keyStart = frames[frameIndex].keyStart
        let memberCount = keys.count - keyStart
        if memberCount < Self.linearKeySearchLimit {
            return keys[keyStart...].contains(key)
        }
        if frames[frameIndex].keySet == nil {
            frames[frameIndex].keySet = Set(keys[keyStart...])
        }
        return !frames[frameIndex].keySet!.insert(key).inserted
    }

    /// Closes the innermost container, whose closing bracket has been consumed, and returns it.
    private mutating func closeContainer() -> JSONValue {
        let frame = frames.removeLast()
        let members = Array(values[frame.valueStart...])
        values.removeSubrange(frame.valueStart...)
        guard frame.isObject else { return .array(members) }
        var entries: [(key: String, value: JSONValue)] = []
        entries.reserveCapacity(members.count)
        for (key, value) in zip(keys[frame.keyStart...], members) {
            entries.append((key, value))
        }
        keys.removeSubrange(frame.keyStart...)
        return .object(JSONObject(entries))
    }

    private mutating func parseLiteral(_ literal: StaticString) throws(JSONParseError) {
        let start = offset
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for byte in expected {
            guard offset < input.count else { throw endOfInput() }
            guard input[offset] == byte else {
                throw JSONParseError(byteOffset: start, message: "invalid literal, expected '\(literal)'")
            }
            offset += 1
        }
    }

    package mutating func skipWhitespace() {
        while offset < input.count {
            switch input[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    /// The byte at the cursor, which must exist.
    package func peekByte() throws(JSONParseError) -> UInt8 {
        guard offset < input.count else { throw endOfInput() }
        return input[offset]
    }

    func error(_ message: String) -> JSONParseError {
        JSONParseError(byteOffset: offset, message: message)
    }

    func endOfInput() -> JSONParseError {
        JSONParseError(byteOffset: input.count, message: "unexpected end of input")
    }

    /// Names a byte for an error message: `'x'` when printable ASCII, `byte 0x00` otherwise.
    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F {
            return "character '\(Character(Unicode.Scalar(byte)))'"
        }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x\(byte < 0x10 ? "0" : "")\(hex)"
    }

    /// Shortens a key quoted in an error message.
    private static func abbreviate(_ key: String) -> String {
        key.unicodeScalars.count <= 64 ? key : String(key.unicodeScalars.prefix(64)) + "…"
    }
}
