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
        // A compact value (every event the gateway writes) is copied, and its `timestamp` found on the
        // same pass; any other is parsed.
        var millis: Int64?
        let parsed = record.appendJSONLine(to: &bytes) { value, key, member in
            guard millis == nil, value[key].elementsEqual("timestamp".utf8), member.count > 2, value[member.lowerBound] == UInt8(ascii: "\"") else { return }
            millis = try? RFC3339.parse(utf8: UnsafeRawBufferPointer(rebasing: value[(member.lowerBound + 1)..<(member.upperBound - 1)]))
        }
        bytes.append(UInt8(ascii: "\n"))
        self.bytes = bytes
        self.eventMillis = parsed.map { Self.eventTime(value: $0, record: record) } ?? millis ?? record.timestampMillis ?? 0
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
