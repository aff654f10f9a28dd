/// Appends compact JSON to byte buffers: whole values, or the pieces needed to build a body by hand.
///
/// Output has no whitespace (``serializeIndented(_:indentWidth:)`` aside), keeps object member order
/// and number lexemes, writes non-ASCII characters as UTF-8, and escapes only `"`, `\` and control
/// characters.
public enum JSONWriter {
    /// Serialises a value to compact JSON.
    /// - Parameter value: The value to write.
    /// - Returns: The UTF-8 encoded JSON text.
    public static func serialize(_ value: JSONValue) -> [UInt8] {
        var buffer: [UInt8] = []
        append(value, to: &buffer)
        return buffer
    }

    /// Serialises a value for people to read and diff: one member or element a line, indented by
    /// `indentWidth` spaces a level, `"key": value`, empty containers as `{}` and `[]`, no final newline.
    /// - Parameters:
    ///   - value: The value to write.
    ///   - indentWidth: Spaces per level of nesting.
    /// - Returns: The UTF-8 encoded JSON text.
    public static func serializeIndented(_ value: JSONValue, indentWidth: Int = 2) -> [UInt8] {
        var buffer: [UInt8] = []
        append(value, indentWidth: indentWidth, to: &buffer)
        return buffer
    }

    /// Appends a value as compact JSON. Nesting is handled with an explicit stack, not recursion.
    /// - Parameters:
    ///   - value: The value to write.
    ///   - buffer: The buffer to append to.
    public static func append(_ value: JSONValue, to buffer: inout [UInt8]) {
        append(value, indentWidth: nil, to: &buffer)
    }

    /// Appends a value, compact when `indentWidth` is nil, indented by that many spaces a level otherwise.
    private static func append(_ value: JSONValue, indentWidth: Int?, to buffer: inout [UInt8]) {
        /// A container being written and the index of its next element.
        enum Pending {
            case array([JSONValue], next: Int)
            case object([(key: String, value: JSONValue)], next: Int)
        }
        var stack: [Pending] = []
        var current = value
        while true {
            switch current {
            case .null: appendRaw("null", to: &buffer)
            case .bool(let flag): appendRaw(flag ? "true" : "false", to: &buffer)
            case .number(let number): appendRaw(number.lexeme, to: &buffer)
            case .string(let string): appendString(string, to: &buffer)
            case .array(let elements):
                buffer.append(UInt8(ascii: "["))
                stack.append(.array(elements, next: 0))
            case .object(let object):
                buffer.append(UInt8(ascii: "{"))
                stack.append(.object(object.entries, next: 0))
            }
            // Find the next value to write, closing every container that is finished. After the pop,
            // `stack.count` is the depth of the container itself; its members are one level deeper.
            var nextValue: JSONValue?
            while nextValue == nil, let top = stack.popLast() {
                switch top {
                case .array(let elements, let next):
                    if next < elements.count {
                        if next > 0 { buffer.append(UInt8(ascii: ",")) }
                        appendLineBreak(depth: stack.count + 1, indentWidth: indentWidth, to: &buffer)
                        nextValue = elements[next]
                        stack.append(.array(elements, next: next + 1))
                    } else {
                        if !elements.isEmpty { appendLineBreak(depth: stack.count, indentWidth: indentWidth, to: &buffer) }
                        buffer.append(UInt8(ascii: "]"))
                    }
                case .object(let entries, let next):
                    if next < entries.count {
                        if next > 0 { buffer.append(UInt8(ascii: ",")) }
                        appendLineBreak(depth: stack.count + 1, indentWidth: indentWidth, to: &buffer)
                        appendString(entries[next].key, to: &buffer)
                        buffer.append(UInt8(ascii: ":"))
                        if indentWidth != nil { buffer.append(UInt8(ascii: " ")) }
                        nextValue = entries[next].value
                        stack.append(.object(entries, next: next + 1))
                    } else {
                        if !entries.isEmpty { appendLineBreak(depth: stack.count, indentWidth: indentWidth, to: &buffer) }
                        buffer.append(UInt8(ascii: "}"))
                    }
                }
            }
            guard let nextValue else { return }
            current = nextValue
        }
    }

    /// Starts a new line indented to `depth`; nothing in compact output.
    private static func appendLineBreak(depth: Int, indentWidth: Int?, to buffer: inout [UInt8]) {
        guard let indentWidth else { return }
        buffer.append(UInt8(ascii: "\n"))
        buffer.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * indentWidth))
    }

    /// Appends a string as a quoted, escaped JSON string.
    /// - Parameters:
    ///   - string: The string to write.
    ///   - buffer: The buffer to append to.
    public static func appendString(_ string: String, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            appendEscaped(utf8, to: &buffer)
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// Appends an integer in decimal, as JSON writes it.
    /// - Parameters:
    ///   - value: The integer to write.
    ///   - buffer: The buffer to append to.
    public static func appendInteger(_ value: Int64, to buffer: inout [UInt8]) {
        if value < 0 {
            buffer.append(UInt8(ascii: "-"))
        }
        var magnitude = value.magnitude
        // 20 digits hold UInt64.max; digits are produced from the right.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<20]))
        }
    }

    /// Appends text that needs no escaping, such as a literal or a number lexeme.
    package static func appendRaw(_ text: String, to buffer: inout [UInt8]) {
        // One copy from the string's contiguous UTF-8 (appending `text.utf8` goes byte by byte).
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
    }

    /// Appends UTF-8 string content, escaping quotes, backslashes and control characters.
    private static func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        var runStart = 0
        for index in utf8.indices {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            runStart = index + 1
            buffer.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): buffer.append(byte)
            case 0x08: buffer.append(UInt8(ascii: "b"))
            case 0x09: buffer.append(UInt8(ascii: "t"))
            case 0x0A: buffer.append(UInt8(ascii: "n"))
            case 0x0C: buffer.append(UInt8(ascii: "f"))
            case 0x0D: buffer.append(UInt8(ascii: "r"))
            default:
                buffer.append(UInt8(ascii: "u"))
                buffer.append(UInt8(ascii: "0"))
                buffer.append(UInt8(ascii: "0"))
                buffer.append(UInt8(ascii: "0") + (byte >> 4))
                let low = byte & 0x0F
                buffer.append(low < 10 ? UInt8(ascii: "0") + low : UInt8(ascii: "a") + (low - 10))
            }
        }
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
    }
}
