import FlowGuardEvents
import FlowGuardJSON
import FlowGuardKafka
import FlowGuardSupport

/// One record as the lake stores it: the line `tail --format json` prints, and the event hour it goes to.
package struct LakeLine: Sendable {
    /// The JSON object and its line break.
    package var bytes: [UInt8]
    /// Milliseconds since the epoch of the event: the value's `timestamp` when it is an RFC 3339 string
    /// (the time the event happened, which the gateway always sets), else the record's Kafka timestamp,
    /// else 0. Both come from the record itself, so a record always goes to the same hour.
    package var eventMillis: Int64

    package var hour: Int64 { Self.floorDivide(eventMillis, 3_600_000) }

    package init(_ record: KafkaRecord) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity((record.value?.count ?? 0) + 192)
        record.appendJSONLine(to: &bytes)
        bytes.append(UInt8(ascii: "\n"))
        self.bytes = bytes
        self.eventMillis = Self.eventTime(of: record)
    }

    static func eventTime(of record: KafkaRecord) -> Int64 {
        guard let value = record.value else { return record.timestampMillis ?? 0 }
        // A compact value (every event the gateway writes) is searched in place; any other is parsed.
        var millis: Int64?
        let compact = value.withUnsafeBytes { bytes in
            CompactJSON.isCompact(bytes) { key, value in
                guard millis == nil, Self.isTimestampKey(bytes[key]), value.count > 2, bytes[value.lowerBound] == UInt8(ascii: "\"") else { return }
                millis = try? RFC3339.parse(utf8: UnsafeRawBufferPointer(rebasing: bytes[(value.lowerBound + 1)..<(value.upperBound - 1)]))
            }
        }
        if compact { return millis ?? record.timestampMillis ?? 0 }
        return eventTime(value: record.parsedValue, record: record)
    }

    private static func isTimestampKey(_ key: Slice<UnsafeRawBufferPointer>) -> Bool {
        key.elementsEqual("timestamp".utf8)
    }

    static func eventTime(value: JSONValue?, record: KafkaRecord) -> Int64 {
        if case .object(let fields)? = value, case .string(let text)? = fields["timestamp"], let millis = try? RFC3339.parse(text) {
            return millis
        }
        return record.timestampMillis ?? 0
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient
    }
}
