import FlowGuardJSON
import FlowGuardSupport

extension EventDecoder {
    /// Reads the common case in one pass over the bytes: an object whose members are the kind's own
    /// fields, each at most once, with plain values that pass their rules (strings within their
    /// lengths, positive integers written as such, a plain decimal price, a literal `is_click`, a
    /// valid or null timestamp). Keys are compared as bytes and no ``JSONValue`` is built.
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
    enum Field: Int {
        case eventID, userID, timestamp, orderID, itemID, itemName, price, adID, isClick, adType
    }

    let kind: EventKind
    /// One bit per ``Field`` already read.
    var seen: UInt16 = 0
    var eventID: String?
    var userID: Int64?
    var timestampMillis: Int64?
    var orderID: String?
    var itemID: Int64?
    var itemName: String?
    var price: JSONNumber?
    var adID: String?
    var isClick = false
    var adType: String?

    init(kind: EventKind) {
        self.kind = kind
    }

    /// Reads the object at the cursor; false as soon as it is not the plain case.
    mutating func read(_ scanner: inout JSONScanner) -> Bool {
        guard scanner.byte == UInt8(ascii: "{") else { return false }
        scanner.offset += 1
        while true {
            scanner.skipWhitespace()
            guard let field = readKey(&scanner) else { return false }
            let bit: UInt16 = 1 << field.rawValue
            guard seen & bit == 0 else { return false }
            seen |= bit
            scanner.skipWhitespace()
            guard scanner.byte == UInt8(ascii: ":") else { return false }
            scanner.offset += 1
            scanner.skipWhitespace()
            guard readValue(of: field, from: &scanner) else { return false }
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
        guard let eventID, let userID else { return nil }
        let details: ValidatedEvent.Details
        switch kind {
        case .order:
            guard let orderID, let itemID, let itemName, let price else { return nil }
            details = .order(.init(orderID: orderID, itemID: itemID, itemName: itemName, price: price))
        case .click, .impression:
            // A click must say whether it was one; an impression's `is_click` may be absent.
            guard let adID, let adType, kind == .impression || seen & (1 << Field.isClick.rawValue) != 0 else { return nil }
            details = .ad(.init(adID: adID, isClick: isClick, adType: adType))
        }
        return ValidatedEvent(kind: kind, eventID: eventID, userID: userID, clientTimestampMillis: timestampMillis, details: details)
    }

    /// A key without escapes that names one of the kind's fields, with the cursor left after its quote.
    private func readKey(_ scanner: inout JSONScanner) -> Field? {
        guard scanner.byte == UInt8(ascii: "\"") else { return nil }
        let start = scanner.offset + 1
        var end = start
        while end < scanner.input.count {
            let byte = scanner.input[end]
            if byte == UInt8(ascii: "\"") { break }
            // Field names are plain ASCII: anything else is not one of them, or needs the full decoder.
            guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { return nil }
            end += 1
        }
        guard end < scanner.input.count else { return nil }
        scanner.offset = end + 1
        let key = UnsafeRawBufferPointer(rebasing: scanner.input[start..<end])
        func named(_ name: StaticString) -> Bool {
            key.count == name.utf8CodeUnitCount && key.elementsEqual(UnsafeRawBufferPointer(start: name.utf8Start, count: key.count))
        }
        if named("event_id") { return .eventID }
        if named("user_id") { return .userID }
        if named("timestamp") { return .timestamp }
        switch kind {
        case .order:
            if named("order_id") { return .orderID }
            if named("item_id") { return .itemID }
            if named("item_name") { return .itemName }
            if named("price") { return .price }
        case .click, .impression:
            if named("ad_id") { return .adID }
            if named("is_click") { return .isClick }
            if named("ad_type") { return .adType }
        }
        return nil
    }

    /// Reads the field's value into it; false when the value is not plain.
    private mutating func readValue(of field: Field, from scanner: inout JSONScanner) -> Bool {
        switch field {
        case .eventID: return Self.store(Self.string(&scanner, maxLength: 128), in: &eventID)
        case .userID: return Self.store(Self.positiveInteger(&scanner), in: &userID)
        case .orderID: return Self.store(Self.string(&scanner, maxLength: 128), in: &orderID)
        case .itemID: return Self.store(Self.positiveInteger(&scanner), in: &itemID)
        case .itemName: return Self.store(Self.string(&scanner, maxLength: 256), in: &itemName)
        case .price: return Self.store(Self.price(&scanner), in: &price)
        case .adID: return Self.store(Self.string(&scanner, maxLength: 128), in: &adID)
        case .adType: return Self.store(Self.string(&scanner, maxLength: 64), in: &adType)
        case .isClick:
            if kind == .click, scanner.skipLiteral("true") {
                isClick = true
            } else if scanner.skipLiteral("false") || (kind == .impression && scanner.skipLiteral("null")) {
                isClick = false
            } else {
                return false
            }
            return true
        case .timestamp:
            return readTimestamp(&scanner)
        }
    }

    /// Puts a value read by one of the readers below (nil when it was not plain) in its field.
    private static func store<Value>(_ value: Value?, in field: inout Value?) -> Bool {
        field = value
        return value != nil
    }

    /// A null timestamp, or one that passes every rule of ``EventFieldChecker/optionalTimestamp(_:_:)``.
    private mutating func readTimestamp(_ scanner: inout JSONScanner) -> Bool {
        let millis: Int64
        switch scanner.byte {
        case UInt8(ascii: "n"):
            return scanner.skipLiteral("null")
        case UInt8(ascii: "\""):
            guard let text = try? scanner.parseString(), let parsed = try? RFC3339.parse(text) else { return false }
            millis = parsed
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            guard let number = try? scanner.parseNumber(), number.isInteger, let integer = number.int64 else { return false }
            millis = integer
        default:
            return false
        }
        guard (0...RFC3339.maxMillis).contains(millis) else { return false }
        timestampMillis = millis
        return true
    }

    /// A string of 1...`maxLength` Unicode scalars.
    private static func string(_ scanner: inout JSONScanner, maxLength: Int) -> String? {
        guard scanner.byte == UInt8(ascii: "\""), let string = try? scanner.parseString(), !string.isEmpty else { return nil }
        guard string.utf8.count <= maxLength || string.unicodeScalars.count <= maxLength else { return nil }
        return string
    }

    /// An integer of at least 1 written without sign, fraction or exponent, that fits in `Int64`.
    private static func positiveInteger(_ scanner: inout JSONScanner) -> Int64? {
        guard (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(scanner.byte),
            let number = try? scanner.parseNumber(), number.isInteger
        else { return nil }
        return number.int64
    }

    /// A price written as plain decimal digits, at most 64 characters, not all zeros: greater than
    /// 0 and finite as a double, without converting it (a longer or exponent form goes the full way).
    private static func price(_ scanner: inout JSONScanner) -> JSONNumber? {
        let start = scanner.offset
        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(scanner.byte), let number = try? scanner.parseNumber() else { return nil }
        let lexeme = UnsafeRawBufferPointer(rebasing: scanner.input[start..<scanner.offset])
        guard lexeme.count <= 64,
            lexeme.allSatisfy({ $0 == UInt8(ascii: ".") || JSONScanner.isDigit($0) }),
            lexeme.contains(where: { $0 != UInt8(ascii: "0") && $0 != UInt8(ascii: ".") })
        else { return nil }
        return number
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
