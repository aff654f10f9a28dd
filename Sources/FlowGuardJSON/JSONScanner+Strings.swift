extension JSONScanner {
    /// Parses a string whose opening quote is at the cursor and leaves the cursor after the closing quote.
    package mutating func parseString() throws(JSONParseError) -> String {
        offset += 1
        let start = offset
        while offset < input.count {
            let byte = input[offset]
            if byte == UInt8(ascii: "\"") {
                let string = String(decoding: UnsafeRawBufferPointer(rebasing: input[start..<offset]), as: UTF8.self)
                offset += 1
                return string
            } else if byte == UInt8(ascii: "\\") {
                return try parseEscapedString(contentStart: start)
            } else if byte < 0x20 {
                throw error("unescaped control \(Self.describe(byte)) in string")
            } else if byte < 0x80 {
                offset += 1
            } else {
                try skipUTF8Sequence()
            }
        }
        throw endOfInput()
    }

    /// Continues ``parseString()`` from the first backslash, decoding into ``scratch``.
    private mutating func parseEscapedString(contentStart: Int) throws(JSONParseError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[contentStart..<offset]))
        while offset < input.count {
            let byte = input[offset]
            if byte == UInt8(ascii: "\"") {
                offset += 1
                return String(decoding: scratch, as: UTF8.self)
            } else if byte == UInt8(ascii: "\\") {
                try parseEscape()
            } else if byte < 0x20 {
                throw error("unescaped control \(Self.describe(byte)) in string")
            } else if byte < 0x80 {
                scratch.append(byte)
                offset += 1
            } else {
                let start = offset
                try skipUTF8Sequence()
                scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[start..<offset]))
            }
        }
        throw endOfInput()
    }

    /// Decodes the escape sequence whose backslash is at the cursor into ``scratch``.
    private mutating func parseEscape() throws(JSONParseError) {
        let escapeOffset = offset
        offset += 1
        let byte = try peekByte()
        offset += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(byte)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try parseHexQuad(escapeOffset: escapeOffset)
            let scalarValue: UInt32
            switch unit {
            case 0xD800...0xDBFF:
                // A high surrogate must be followed at once by an escaped low surrogate.
                guard try peekByte() == UInt8(ascii: "\\") else {
                    throw JSONParseError(byteOffset: escapeOffset, message: "lone surrogate in \\u escape")
                }
                offset += 1
                guard try peekByte() == UInt8(ascii: "u") else {
                    throw JSONParseError(byteOffset: escapeOffset, message: "lone surrogate in \\u escape")
                }
                offset += 1
                let low = try parseHexQuad(escapeOffset: offset - 2)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw JSONParseError(byteOffset: escapeOffset, message: "lone surrogate in \\u escape")
                }
                scalarValue = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            case 0xDC00...0xDFFF:
                throw JSONParseError(byteOffset: escapeOffset, message: "lone surrogate in \\u escape")
            default:
                scalarValue = unit
            }
            // Surrogates were handled above, so every value left is a valid scalar.
            scratch.append(contentsOf: UTF8.encode(Unicode.Scalar(scalarValue)!)!)
        default:
            throw JSONParseError(byteOffset: escapeOffset, message: "invalid escape sequence in string")
        }
    }

    /// Reads the four hex digits of a `\u` escape at the cursor.
    private mutating func parseHexQuad(escapeOffset: Int) throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = try peekByte()
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                throw JSONParseError(byteOffset: escapeOffset, message: "expected four hex digits after \\u")
            }
            value = value << 4 | UInt32(digit)
            offset += 1
        }
        return value
    }

    /// Checks the multi-byte UTF-8 sequence at the cursor (RFC 3629) and steps over it.
    private mutating func skipUTF8Sequence() throws(JSONParseError) {
        switch Self.utf8Sequence(in: input, at: offset) {
        case .valid(let length): offset += length
        case .invalid: throw error("invalid UTF-8")
        case .truncated: throw endOfInput()
        }
    }

    /// What stands at `offset`, whose byte is 0x80 or above: a well-formed multi-byte UTF-8 sequence
    /// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF) and its length, an
    /// ill-formed one, or the start of one that the input cuts off. The parser and ``CompactJSON``
    /// both check strings by it.
    enum UTF8Sequence {
        case valid(length: Int)
        case invalid
        case truncated
    }

    static func utf8Sequence(in input: UnsafeRawBufferPointer, at offset: Int) -> UTF8Sequence {
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch input[offset] {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: return .invalid
        }
        for index in 1..<length {
            guard offset + index < input.count else { return .truncated }
            let byte = input[offset + index]
            guard index == 1 ? secondRange.contains(byte) : (0x80...0xBF).contains(byte) else { return .invalid }
        }
        return .valid(length: length)
    }
}
