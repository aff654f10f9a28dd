/// Recognises JSON text that ``JSONWriter`` would write unchanged, so that it can be copied instead of
/// parsed into a ``JSONValue`` tree and written out again (the lake's and `tail`'s record lines copy
/// every value this way).
///
/// `isCompact` answers true only when `JSONWriter.serialize(JSONParser.parse(bytes))` equals `bytes`
/// byte for byte: valid JSON by the parser's rules (no duplicate keys, at most `maxDepth` levels), no
/// whitespace outside strings, and strings in the writer's escaping. It answers false for anything it
/// does not prove, so the forms that are rare in event values but costly to prove give false too:
/// escapes in keys, keys with non-ASCII characters (Swift compares them by canonical equivalence, not
/// by bytes), objects of more than ``maxMembersChecked`` members. A caller takes the slow path then.
public enum CompactJSON {
    /// Objects with more members than this give false (their duplicate-key check would be quadratic).
    public static let maxMembersChecked = 64
    /// Keys of all open objects together, beyond which the text gives false.
    static let maxOpenKeys = 256

    /// Whether `bytes` are one JSON text that ``JSONWriter`` writes back byte for byte.
    /// - Parameters:
    ///   - bytes: The text.
    ///   - maxDepth: The parser's limit on nesting, ``JSONParser/defaultMaxDepth`` unless the caller parses with another.
    ///   - member: Called, when the text is an object, with the byte ranges of each top-level member's
    ///     key (without its quotes) and value, in order; meaningful only when the answer is true.
    public static func isCompact(
        _ bytes: UnsafeRawBufferPointer,
        maxDepth: Int = JSONParser.defaultMaxDepth,
        member: (_ key: Range<Int>, _ value: Range<Int>) -> Void = { _, _ in }
    ) -> Bool {
        guard maxDepth <= 64 else { return false }
        return withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: maxOpenKeys) { keys in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 64) { keyStarts in
                var checker = Checker(input: bytes, maxDepth: maxDepth, keys: keys, keyStarts: keyStarts)
                return checker.run(member: member)
            }
        }
    }

    /// ``isCompact(_:maxDepth:member:)`` for any contiguous bytes.
    public static func isCompact(_ bytes: [UInt8], maxDepth: Int = JSONParser.defaultMaxDepth) -> Bool {
        bytes.withUnsafeBytes { isCompact($0, maxDepth: maxDepth) }
    }

    /// A cursor and a stack of open containers, both in caller-provided memory: no heap allocation.
    private struct Checker {
        let input: UnsafeRawBufferPointer
        let maxDepth: Int
        /// The keys of the open objects, innermost last, for the duplicate check.
        let keys: UnsafeMutableBufferPointer<Range<Int>>
        /// Where each open container's keys start in `keys`.
        let keyStarts: UnsafeMutableBufferPointer<Int>
        var offset = 0
        var depth = 0
        /// Bit `d` is set when the container at depth `d + 1` is an object.
        var objectLevels: UInt64 = 0
        var keyCount = 0

        init(input: UnsafeRawBufferPointer, maxDepth: Int, keys: UnsafeMutableBufferPointer<Range<Int>>, keyStarts: UnsafeMutableBufferPointer<Int>) {
            self.input = input
            self.maxDepth = maxDepth
            self.keys = keys
            self.keyStarts = keyStarts
        }

        var innermostIsObject: Bool { objectLevels >> UInt64(depth - 1) & 1 == 1 }

        mutating func run(member: (Range<Int>, Range<Int>) -> Void) -> Bool {
            var memberKey = 0..<0
            var memberStart = 0
            while true {
                // A value starts at `offset`.
                guard offset < input.count else { return false }
                switch input[offset] {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    let isObject = input[offset] == UInt8(ascii: "{")
                    guard depth < maxDepth else { return false }
                    offset += 1
                    if offset < input.count, input[offset] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                        offset += 1
                        break  // an empty container is a whole value
                    }
                    keyStarts[depth] = keyCount
                    depth += 1
                    if isObject {
                        objectLevels |= 1 << UInt64(depth - 1)
                        guard let key = key() else { return false }
                        if depth == 1 { (memberKey, memberStart) = (key, offset) }
                    } else {
                        objectLevels &= ~(1 << UInt64(depth - 1))
                    }
                    continue  // on to the container's first value
                case UInt8(ascii: "\""):
                    guard string(isKey: false) != nil else { return false }
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    guard number() else { return false }
                case UInt8(ascii: "t"):
                    guard literal("true") else { return false }
                case UInt8(ascii: "f"):
                    guard literal("false") else { return false }
                case UInt8(ascii: "n"):
                    guard literal("null") else { return false }
                default:
                    return false
                }
                // A value ended at `offset`: close the containers it finishes, then find the next value.
                while true {
                    guard depth > 0 else { return offset == input.count }
                    if depth == 1 && innermostIsObject { member(memberKey, memberStart..<offset) }
                    guard offset < input.count else { return false }
                    let byte = input[offset]
                    offset += 1
                    if byte == UInt8(ascii: ",") {
                        if innermostIsObject {
                            guard let key = key() else { return false }
                            if depth == 1 { (memberKey, memberStart) = (key, offset) }
                        }
                        break
                    }
                    guard byte == (innermostIsObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else { return false }
                    depth -= 1
                    keyCount = keyStarts[depth]
                }
            }
        }

        /// `"key":` of the innermost object; the key's range without quotes, or nil when it is not
        /// plain ASCII, repeats a key of its object, or the object has too many members.
        mutating func key() -> Range<Int>? {
            guard offset < input.count, input[offset] == UInt8(ascii: "\""), let key = string(isKey: true) else { return nil }
            let start = keyStarts[depth - 1]
            guard keyCount - start < CompactJSON.maxMembersChecked, keyCount < keys.count else { return nil }
            for index in start..<keyCount where equal(keys[index], key) { return nil }
            keys[keyCount] = key
            keyCount += 1
            guard offset < input.count, input[offset] == UInt8(ascii: ":") else { return nil }
            offset += 1
            return key
        }

        /// A string whose quote is at the cursor, in the writer's escaping; its content's range. Keys
        /// must be ASCII without escapes, so that equal keys are equal bytes.
        mutating func string(isKey: Bool) -> Range<Int>? {
            offset += 1
            let start = offset
            while offset < input.count {
                let byte = input[offset]
                if byte == UInt8(ascii: "\"") {
                    offset += 1
                    return start..<(offset - 1)
                } else if byte == UInt8(ascii: "\\") {
                    guard !isKey, offset + 1 < input.count else { return nil }
                    switch input[offset + 1] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        offset += 2
                    case UInt8(ascii: "u"):
                        guard writerEscapedControl() else { return nil }
                    default:
                        return nil
                    }
                } else if byte < 0x20 {
                    return nil
                } else if byte < 0x80 {
                    offset += 1
                } else {
                    guard !isKey, utf8Sequence() else { return nil }
                }
            }
            return nil
        }

        /// Steps over a `\u00xx` escape at the cursor when it is the writer's: a control character
        /// without a short escape, in lowercase hex. Any other `\u` escape is rewritten by the writer.
        mutating func writerEscapedControl() -> Bool {
            guard offset + 6 <= input.count, input[offset + 2] == UInt8(ascii: "0"), input[offset + 3] == UInt8(ascii: "0") else { return false }
            let high = input[offset + 4]
            let low = input[offset + 5]
            guard high == UInt8(ascii: "0") || high == UInt8(ascii: "1") else { return false }
            let lowValue: UInt8
            switch low {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): lowValue = low - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): lowValue = low - UInt8(ascii: "a") + 10
            default: return false
            }
            switch (high - UInt8(ascii: "0")) << 4 | lowValue {
            case 0x08, 0x09, 0x0A, 0x0C, 0x0D: return false  // written as \b, \t, \n, \f, \r
            default: break
            }
            offset += 6
            return true
        }

        /// Steps over the multi-byte UTF-8 sequence at the cursor when it is well-formed, as the parser checks it.
        mutating func utf8Sequence() -> Bool {
            guard case .valid(let length) = JSONScanner.utf8Sequence(in: input, at: offset) else { return false }
            offset += length
            return true
        }

        /// A number by JSON's grammar; the writer keeps its lexeme, so any valid one is compact.
        mutating func number() -> Bool {
            if input[offset] == UInt8(ascii: "-") { offset += 1 }
            guard offset < input.count else { return false }
            if input[offset] == UInt8(ascii: "0") {
                offset += 1
                if offset < input.count, isDigit(input[offset]) { return false }
            } else {
                guard digits() else { return false }
            }
            if offset < input.count, input[offset] == UInt8(ascii: ".") {
                offset += 1
                guard digits() else { return false }
            }
            if offset < input.count, input[offset] | 0x20 == UInt8(ascii: "e") {
                offset += 1
                if offset < input.count, input[offset] == UInt8(ascii: "+") || input[offset] == UInt8(ascii: "-") { offset += 1 }
                guard digits() else { return false }
            }
            return true
        }

        /// One or more digits.
        mutating func digits() -> Bool {
            let start = offset
            while offset < input.count, isDigit(input[offset]) { offset += 1 }
            return offset > start
        }

        func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

        func equal(_ left: Range<Int>, _ right: Range<Int>) -> Bool {
            guard left.count == right.count else { return false }
            for index in 0..<left.count where input[left.lowerBound + index] != input[right.lowerBound + index] { return false }
            return true
        }

        mutating func literal(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard offset + count <= input.count else { return false }
            for index in 0..<count where input[offset + index] != text.utf8Start[index] { return false }
            offset += count
            return true
        }
    }
}
