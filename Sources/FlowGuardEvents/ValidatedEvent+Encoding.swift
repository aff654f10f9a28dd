import FlowGuardJSON
import FlowGuardSupport
import FoundationEssentials

extension ValidatedEvent {
    /// The Kafka record key: `user_id` in decimal ASCII, so that one user's events share a partition.
    public var key: [UInt8] {
        var key: [UInt8] = []
        key.reserveCapacity(20)
        JSONWriter.appendInteger(userID, to: &key)
        return key
    }

    /// The Kafka record value: one compact JSON object with the validated fields in schema order,
    /// then `event_type`, `timestamp` and `received_at`.
    ///
    /// `timestamp` is the client's, normalised to UTC with millisecond precision, or the receive
    /// time when the client sent none. `price` keeps the client's lexeme. An impression without
    /// `is_click` is written with `"is_click":false`.
    /// - Parameter receivedAtMillis: When the gateway received the event, in milliseconds since the epoch.
    /// - Returns: The UTF-8 encoded JSON object.
    public func value(receivedAtMillis: Int64) -> [UInt8] {
        encodedValue(receivedAt: ReceiveTime(millis: receivedAtMillis)).bytes
    }

    /// The Kafka value (as `value(receivedAtMillis:)`) and where in it the parts of `fingerprint` lie,
    /// so that one pass gives both.
    public func encodedValue(receivedAt: ReceiveTime) -> EncodedValue {
        var value: [UInt8] = []
        value.reserveCapacity(256)
        appendContent(to: &value)
        let contentEnd = value.count
        if let clientTimestampMillis {
            Self.appendQuotedTimestamp(clientTimestampMillis, to: &value)
        } else {
            value.append(contentsOf: receivedAt.quoted)
        }
        let timestampEnd = value.count
        value.append(contentsOf: EventValueKeys.receivedAt)
        value.append(contentsOf: receivedAt.quoted)
        value.append(UInt8(ascii: "}"))
        return EncodedValue(bytes: value, contentEnd: contentEnd, clientTimestampEnd: clientTimestampMillis == nil ? nil : timestampEnd)
    }

    /// Canonical bytes of what the client sent, to tell a retry from a conflicting reuse of an event id.
    ///
    /// Equal for two bodies that validate to the same fields, whatever their member order,
    /// whitespace, string escapes or timestamp offset; `timestamp` is `null` when the client sent
    /// none. `price` compares by lexeme, so `299.99` and `299.990` differ.
    public var fingerprint: [UInt8] {
        var fingerprint: [UInt8] = []
        fingerprint.reserveCapacity(224)
        appendContent(to: &fingerprint)
        if let clientTimestampMillis {
            Self.appendQuotedTimestamp(clientTimestampMillis, to: &fingerprint)
        } else {
            JSONWriter.appendRaw("null", to: &fingerprint)
        }
        fingerprint.append(UInt8(ascii: "}"))
        return fingerprint
    }

    /// The JSON body a client POSTs for this event: its own fields in schema order, optional ones
    /// only when they say more than their absence would (an impression leaves out `is_click`, as
    /// the ad system's impression requests do), then the client's timestamp if it has one.
    package var requestBody: [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(160)
        appendFields(to: &body, includingOptional: false)
        if let clientTimestampMillis {
            body.append(contentsOf: EventValueKeys.byKind[kind].timestamp)
            Self.appendQuotedTimestamp(clientTimestampMillis, to: &body)
        }
        body.append(UInt8(ascii: "}"))
        return body
    }

    /// Appends `{` and every member up to `"timestamp":`, whose value the caller writes.
    private func appendContent(to buffer: inout [UInt8]) {
        appendFields(to: &buffer, includingOptional: true)
        buffer.append(contentsOf: EventValueKeys.byKind[kind].eventTypeAndTimestamp)
    }

    /// Appends `{` and the event's own fields but the timestamp, in schema order, without closing the object.
    /// - Parameter includingOptional: write the optional fields too (the Kafka value always carries
    ///   an impression's `is_click`; a client's impression request may leave it out).
    private func appendFields(to buffer: inout [UInt8], includingOptional: Bool) {
        for field in EventValueKeys.byKind[kind].fields where includingOptional || field.isRequired {
            buffer.append(contentsOf: field.key)
            appendValue(in: field.slot, to: &buffer)
        }
    }

    /// Appends the value of one of the kind's fields.
    private func appendValue(in slot: EventField.Slot, to buffer: inout [UInt8]) {
        switch (slot, details) {
        case (.eventID, _): JSONWriter.appendString(eventID, to: &buffer)
        case (.userID, _): JSONWriter.appendInteger(userID, to: &buffer)
        case (.orderID, .order(let order)): JSONWriter.appendString(order.orderID, to: &buffer)
        case (.itemID, .order(let order)): JSONWriter.appendInteger(order.itemID, to: &buffer)
        case (.itemName, .order(let order)): JSONWriter.appendString(order.itemName, to: &buffer)
        case (.price, .order(let order)): JSONWriter.appendRaw(order.price.lexeme, to: &buffer)
        case (.adID, .ad(let ad)): JSONWriter.appendString(ad.adID, to: &buffer)
        case (.isClick, .ad(let ad)): JSONWriter.appendRaw(ad.isClick ? "true" : "false", to: &buffer)
        case (.adType, .ad(let ad)): JSONWriter.appendString(ad.adType, to: &buffer)
        default: assertionFailure("\(kind) has no \(slot) to write")
        }
    }

    /// Appends a timestamp as a quoted JSON string.
    private static func appendQuotedTimestamp(_ millis: Int64, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        RFC3339.append(millis: millis, to: &buffer)
        buffer.append(UInt8(ascii: "\""))
    }
}

/// The keys of a kind's Kafka value as bytes, worked out once from its ``EventSchema`` so that
/// writing a value copies them: `{"event_id":`, `,"user_id":` and so on for the event's own fields,
/// then `,"event_type":"order","timestamp":` and `,"received_at":`.
private struct EventValueKeys: Sendable {
    struct Field: Sendable {
        var slot: EventField.Slot
        var isRequired: Bool
        /// The member's name with its separators: `{"event_id":` for the first, `,"user_id":` after.
        var key: [UInt8]
    }

    /// The schema's fields but the timestamp, which the value writes after `event_type`.
    let fields: [Field]
    /// `,"timestamp":`.
    let timestamp: [UInt8]
    /// `,"event_type":"<kind>","timestamp":`.
    let eventTypeAndTimestamp: [UInt8]
    /// `,"received_at":`.
    static let receivedAt = key(EventSchema.receivedAtKey, first: false)

    init(_ schema: EventSchema) {
        let own = schema.fields.filter { $0.slot != .timestamp }
        fields = own.indices.map { Field(slot: own[$0].slot, isRequired: own[$0].isRequired, key: Self.key(own[$0].name, first: $0 == 0)) }
        guard let timestampField = schema.fields.first(where: { $0.slot == .timestamp }) else {
            preconditionFailure("\(schema.kind) has no timestamp field, which every Kafka value carries")
        }
        timestamp = Self.key(timestampField.name, first: false)
        var eventType = Self.key(EventSchema.eventTypeKey, first: false)
        JSONWriter.appendString(schema.kind.rawValue, to: &eventType)
        eventTypeAndTimestamp = eventType + timestamp
    }

    /// `{"name":` or `,"name":`.
    private static func key(_ name: String, first: Bool) -> [UInt8] {
        var key: [UInt8] = [first ? UInt8(ascii: "{") : UInt8(ascii: ",")]
        JSONWriter.appendString(name, to: &key)
        key.append(UInt8(ascii: ":"))
        return key
    }

    static let byKind = PerKind { EventValueKeys($0.schema) }
}

/// When the gateway received events, rendered once for every event of a request.
public struct ReceiveTime: Sendable {
    /// The time as a quoted RFC 3339 JSON string.
    let quoted: [UInt8]

    public init(millis: Int64) {
        var quoted: [UInt8] = [UInt8(ascii: "\"")]
        RFC3339.append(millis: millis, to: &quoted)
        quoted.append(UInt8(ascii: "\""))
        self.quoted = quoted
    }

    /// Now.
    public static var now: ReceiveTime { ReceiveTime(millis: Int64(Date().timeIntervalSince1970 * 1000)) }
}

/// An event's Kafka value, and where the parts of its `fingerprint` lie in it: the fingerprint is
/// `bytes[..<contentEnd]`, then the client's quoted timestamp (`bytes[contentEnd..<clientTimestampEnd]`)
/// or `null`, then `}`.
public struct EncodedValue: Sendable {
    public var bytes: [UInt8]
    public var contentEnd: Int
    public var clientTimestampEnd: Int?

    /// Calls `body` with each part of the fingerprint, in order.
    public func forEachFingerprintPart(_ body: (UnsafeRawBufferPointer) -> Void) {
        bytes.withUnsafeBytes { bytes in
            body(UnsafeRawBufferPointer(rebasing: bytes[..<contentEnd]))
            if let clientTimestampEnd {
                body(UnsafeRawBufferPointer(rebasing: bytes[contentEnd..<clientTimestampEnd]))
            } else {
                Self.null.withUnsafeBytes { body($0) }
            }
        }
        withUnsafeBytes(of: UInt8(ascii: "}")) { body($0) }
    }

    private static let null: [UInt8] = Array("null".utf8)
}
