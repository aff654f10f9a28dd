import FlowGuardJSON
import FlowGuardKafka
import FlowGuardSupport

extension InputDecoding {
    /// The touch of a click record read in place, without a `JSONValue` tree: what ``touch(from:)``
    /// gives, for the values it can prove the same, or nil for ``touch(from:)`` to decide.
    ///
    /// The clicks topic carries most of the job's input, and building each value's tree was most of the
    /// job's cost. A value the gateway wrote is compact JSON (``CompactJSON``); its members are found by
    /// their byte ranges, and only the plain forms are taken here: strings without escapes, integers
    /// without a fraction or exponent. Anything else, a missing field or a malformed one included,
    /// goes to the parsing path, which also words the error.
    static func compactTouch(from record: KafkaRecord) -> AdTouch? {
        guard let value = record.value else { return nil }
        return value.withUnsafeBytes { bytes -> AdTouch? in
            var fields = TouchFields()
            guard CompactJSON.isCompact(bytes, member: { key, value in fields.note(key: bytes[key], value: value, in: bytes) }),
                let isClick = fields.isClick, let eventID = fields.eventID, let eventType = fields.eventType, let userID = fields.userID,
                let adID = fields.adID, let adType = fields.adType, let timestamp = fields.timestamp
            else { return nil }
            return AdTouch(
                isClick: isClick, eventID: eventID, eventType: eventType, userID: userID, adID: adID, adType: adType,
                timestampMillis: timestamp, partition: record.partition, offset: record.offset
            )
        }
    }

    /// The members of a click value the model needs, each set only when it is in its plain form.
    private struct TouchFields {
        var isClick: Bool?
        var eventID: String?
        var eventType: String?
        var userID: Int64?
        var adID: String?
        var adType: String?
        var timestamp: Int64?

        mutating func note(key: Slice<UnsafeRawBufferPointer>, value range: Range<Int>, in bytes: UnsafeRawBufferPointer) {
            let value = bytes[range]
            switch key.count {
            case 5 where key.elementsEqual("ad_id".utf8): adID = Self.string(value)
            case 7 where key.elementsEqual("user_id".utf8): userID = Self.integer(value)
            case 7 where key.elementsEqual("ad_type".utf8): adType = Self.string(value)
            case 8 where key.elementsEqual("event_id".utf8): eventID = Self.string(value)
            case 8 where key.elementsEqual("is_click".utf8): isClick = value.elementsEqual("true".utf8) ? true : value.elementsEqual("false".utf8) ? false : nil
            case 9 where key.elementsEqual("timestamp".utf8): timestamp = Self.timestamp(value)
            case 10 where key.elementsEqual("event_type".utf8): eventType = Self.string(value)
            default: break
            }
        }

        /// A string's content when it has no escapes (its bytes are then its characters).
        static func string(_ value: Slice<UnsafeRawBufferPointer>) -> String? {
            guard value.count >= 2, value.first == UInt8(ascii: "\""), !value.contains(UInt8(ascii: "\\")) else { return nil }
            return String(decoding: value.dropFirst().dropLast(), as: UTF8.self)
        }

        /// An integer written without a fraction or exponent, when it fits in `Int64`.
        static func integer(_ value: Slice<UnsafeRawBufferPointer>) -> Int64? {
            guard value.count <= 20, value.allSatisfy({ $0 == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
            return Int64(String(decoding: value, as: UTF8.self))
        }

        /// `timestamp` as ``InputDecoding/timestamp(in:)`` reads it: RFC 3339, or whole epoch milliseconds.
        static func timestamp(_ value: Slice<UnsafeRawBufferPointer>) -> Int64? {
            if value.first == UInt8(ascii: "\"") {
                guard value.count >= 2, !value.contains(UInt8(ascii: "\\")) else { return nil }
                return try? RFC3339.parse(utf8: UnsafeRawBufferPointer(rebasing: value.dropFirst().dropLast()))
            }
            return integer(value)
        }
    }
}
