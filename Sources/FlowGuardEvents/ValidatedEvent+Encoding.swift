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
        JSONWriter.appendRaw(#","received_at":"#, to: &value)
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

    /// Appends `{` and every member up to `"timestamp":`, whose value the caller writes.
    private func appendContent(to buffer: inout [UInt8]) {
        appendFields(to: &buffer, impressionIsClick: true)
        JSONWriter.appendRaw(#","event_type":""#, to: &buffer)
        JSONWriter.appendRaw(kind.rawValue, to: &buffer)
        JSONWriter.appendRaw(#"","timestamp":"#, to: &buffer)
    }

    /// Appends `{` and the event's own fields in schema order, without closing the object.
    /// - Parameter impressionIsClick: write `"is_click":false` for an impression too (the Kafka value
    ///   always carries it; a client's impression request may leave it out).
    package func appendFields(to buffer: inout [UInt8], impressionIsClick: Bool) {
        JSONWriter.appendRaw(#"{"event_id":"#, to: &buffer)
        JSONWriter.appendString(eventID, to: &buffer)
        JSONWriter.appendRaw(#","user_id":"#, to: &buffer)
        JSONWriter.appendInteger(userID, to: &buffer)
        switch details {
        case .order(let order):
            JSONWriter.appendRaw(#","order_id":"#, to: &buffer)
            JSONWriter.appendString(order.orderID, to: &buffer)
            JSONWriter.appendRaw(#","item_id":"#, to: &buffer)
            JSONWriter.appendInteger(order.itemID, to: &buffer)
            JSONWriter.appendRaw(#","item_name":"#, to: &buffer)
            JSONWriter.appendString(order.itemName, to: &buffer)
            JSONWriter.appendRaw(#","price":"#, to: &buffer)
            JSONWriter.appendRaw(order.price.lexeme, to: &buffer)
        case .ad(let ad):
            JSONWriter.appendRaw(#","ad_id":"#, to: &buffer)
            JSONWriter.appendString(ad.adID, to: &buffer)
            if kind != .impression || impressionIsClick {
                JSONWriter.appendRaw(ad.isClick ? #","is_click":true"# : #","is_click":false"#, to: &buffer)
            }
            JSONWriter.appendRaw(#","ad_type":"#, to: &buffer)
            JSONWriter.appendString(ad.adType, to: &buffer)
        }
    }

    /// Appends a timestamp as a quoted JSON string.
    private static func appendQuotedTimestamp(_ millis: Int64, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        RFC3339.append(millis: millis, to: &buffer)
        buffer.append(UInt8(ascii: "\""))
    }
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
