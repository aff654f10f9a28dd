import FlowGuardJSON
import FlowGuardSupport

extension EventDecoder {
    /// Reads the common case in one pass over the bytes: an object whose members are the fields of
    /// the kind's ``EventSchema``, each at most once, with plain values that pass their rules
    /// (strings within their lengths, integers written as digits, a plain decimal number, a literal
    /// boolean, a valid timestamp, `null` for an optional field). Keys are compared as bytes and no
    /// ``JSONValue`` is built.
    ///
    /// Anything else gives nil and leaves the scanner where it was, so that ``decodeEvent(from:as:location:plainFirst:)``
    /// reads the value again with every rule and reports exactly what is wrong. A value taken here is
    /// the event the full decoder would give for it (a test holds both to that on every kind of body).
    static func decodePlainEvent(from scanner: inout JSONScanner, as kind: EventKind) -> ValidatedEvent? {
        let start = scanner.offset
        var reader = PlainEventReader(kind: kind)
        if reader.read(&scanner), let event = reader.event() {
            return event
        }
        scanner.offset = start
        return nil
    }
}

/// The state of ``EventDecoder/decodePlainEvent(from:as:)``: the fields read so far.
private struct PlainEventReader {
    let layout: EventFieldLayout
    /// One bit per field already read, by position in the schema.
    var seen: UInt16 = 0
    var values = EventFieldValues()

    init(kind: EventKind) {
        layout = EventFieldLayout.byKind[kind]
    }

    /// Reads the object at the cursor; false as soon as it is not the plain case.
    mutating func read(_ scanner: inout JSONScanner) -> Bool {
        guard scanner.byte == UInt8(ascii: "{") else { return false }
        scanner.offset += 1
        while true {
            scanner.skipWhitespace()
            guard let index = readKey(&scanner) else { return false }
            let bit: UInt16 = 1 << index
            guard seen & bit == 0 else { return false }
            seen |= bit
            scanner.skipWhitespace()
            guard scanner.byte == UInt8(ascii: ":") else { return false }
            scanner.offset += 1
            scanner.skipWhitespace()
            guard readValue(of: layout.fields[index], from: &scanner) else { return false }
            scanner.skipWhitespace()
            switch scanner.byte {
            case UInt8(ascii: ","):
                scanner.offset += 1
            case UInt8(ascii: "}"):
                scanner.offset += 1
                return true
            default:
                return false
            }
        }
    }

    /// The event, once every required field was read.
    func event() -> ValidatedEvent? {
        guard seen & layout.requiredMask == layout.requiredMask else { return nil }
        return values.event(kind: layout.kind)
    }

    /// The position of the field named by a key without escapes, with the cursor left after its quote.
    private func readKey(_ scanner: inout JSONScanner) -> Int? {
        guard scanner.byte == UInt8(ascii: "\"") else { return nil }
        let start = scanner.offset + 1
        var end = start
        while end < scanner.input.count {
            let byte = scanner.input[end]
            if byte == UInt8(ascii: "\"") { break }
            // The schemas' field names are plain ASCII (a schema test holds them to it): anything else
            // is not one of them, or needs the full decoder.
            guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { return nil }
            end += 1
        }
        guard end < scanner.input.count else { return nil }
        scanner.offset = end + 1
        let key = UnsafeRawBufferPointer(rebasing: scanner.input[start..<end])
        for index in layout.fields.indices {
            let name = layout.fields[index].nameBytes
            if name.count == key.count, name.elementsEqual(key) { return index }
        }
        return nil
    }

    /// Reads the field's value into its slot; false when the value is not plain.
    private mutating func readValue(of field: EventFieldLayout.Field, from scanner: inout JSONScanner) -> Bool {
        // An optional field may be null, which counts as absent.
        if !field.isRequired, scanner.skipLiteral("null") { return true }
        let value: EventFieldValue?
        switch field.rule {
        case .string(let minLength, let maxLength):
            value = Self.string(&scanner, minLength: minLength, maxLength: maxLength).map(EventFieldValue.string)
        case .integer(let minimum):
            value = Self.integer(&scanner, minimum: minimum).map(EventFieldValue.integer)
        case .number(let exclusiveMinimum):
            value = Self.number(&scanner, exclusiveMinimum: exclusiveMinimum).map(EventFieldValue.number)
        case .boolean:
            value = scanner.skipLiteral("true") ? .boolean(true) : scanner.skipLiteral("false") ? .boolean(false) : nil
        case .falseOnly:
            value = scanner.skipLiteral("false") ? .boolean(false) : nil
        case .timestamp(let range):
            value = Self.timestamp(&scanner, range: range).map(EventFieldValue.timestamp)
        }
        guard let value else { return false }
        values.store(value, in: field.slot)
        return true
    }

    /// A string of `minLength...maxLength` Unicode scalars.
    private static func string(_ scanner: inout JSONScanner, minLength: Int, maxLength: Int) -> String? {
        guard scanner.byte == UInt8(ascii: "\""), let string = try? scanner.parseString(),
            EventField.Rule.length(of: string, minLength: minLength, maxLength: maxLength) == .fits
        else { return nil }
        return string
    }

    /// An integer of at least `minimum` written as digits without sign, fraction or exponent, that fits in `Int64`.
    private static func integer(_ scanner: inout JSONScanner, minimum: Int64) -> Int64? {
        guard JSONScanner.isDigit(scanner.byte), let number = try? scanner.parseNumber(), number.isInteger,
            let integer = number.int64, integer >= minimum
        else { return nil }
        return integer
    }

    /// A number written as plain decimal digits, at most 64 characters, not all zeros: greater than
    /// 0 and finite as a double, without converting it (a longer or exponent form goes the full way,
    /// and so does any other lower bound).
    private static func number(_ scanner: inout JSONScanner, exclusiveMinimum: Int64) -> JSONNumber? {
        let start = scanner.offset
        guard exclusiveMinimum == 0, JSONScanner.isDigit(scanner.byte), let number = try? scanner.parseNumber() else { return nil }
        let lexeme = UnsafeRawBufferPointer(rebasing: scanner.input[start..<scanner.offset])
        guard lexeme.count <= 64,
            lexeme.allSatisfy({ $0 == UInt8(ascii: ".") || JSONScanner.isDigit($0) }),
            lexeme.contains(where: { $0 != UInt8(ascii: "0") && $0 != UInt8(ascii: ".") })
        else { return nil }
        return number
    }

    /// An RFC 3339 string or integer epoch milliseconds within `range`, as ``EventFieldChecker`` takes them.
    private static func timestamp(_ scanner: inout JSONScanner, range: ClosedRange<Int64>) -> Int64? {
        let millis: Int64
        switch scanner.byte {
        case UInt8(ascii: "\""):
            guard let text = try? scanner.parseString(), let parsed = try? RFC3339.parse(text) else { return nil }
            millis = parsed
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            guard let number = try? scanner.parseNumber(), number.isInteger, let integer = number.int64 else { return nil }
            millis = integer
        default:
            return nil
        }
        return range.contains(millis) ? millis : nil
    }
}

extension JSONScanner {
    /// The byte at the cursor, or 0 at the end of the input (0 never starts a JSON token).
    fileprivate var byte: UInt8 {
        offset < input.count ? input[offset] : 0
    }

    /// Steps over `literal` when the input continues with it; leaves the cursor otherwise.
    fileprivate mutating func skipLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard input.count - offset >= count,
            UnsafeRawBufferPointer(rebasing: input[offset..<offset + count])
                .elementsEqual(UnsafeRawBufferPointer(start: literal.utf8Start, count: count))
        else { return false }
        offset += count
        return true
    }
}
