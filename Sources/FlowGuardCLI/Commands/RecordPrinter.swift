import FlowGuardEvents
import FlowGuardJSON
import FlowGuardKafka
import FlowGuardSupport

/// Formats records for `flowguard tail`: readable lines, NDJSON, or the raw value.
struct RecordPrinter {
    let format: TailCommand.Format
    let colour: Bool

    func line(for record: KafkaRecord) -> String {
        switch format {
        case .raw:
            return String(decoding: record.value ?? [], as: UTF8.self)
        case .json:
            return String(decoding: record.jsonLine, as: UTF8.self)
        case .text:
            return text(record)
        }
    }

    /// Whether every `field=value` filter matches a top-level field of the record's JSON value
    /// (`KafkaRecord.matches(fields:)`, the rule the console's field filter follows too).
    static func matches(_ record: KafkaRecord, _ filters: [(String, String)]) -> Bool {
        record.matches(fields: filters)
    }

    static func scalarText(_ value: JSONValue) -> String {
        KafkaRecord.scalarText(value)
    }

    private func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// `time topic[p]@offset key=K type field=value ...`
    private func text(_ record: KafkaRecord) -> String {
        let time = record.timestampMillis.map { RFC3339.format(millis: $0) } ?? "-"
        let key = record.key.map { String(decoding: $0, as: UTF8.self) } ?? "-"
        var parts = [
            paint(time, "2"),
            paint("\(record.topic)[\(record.partition)]@\(record.offset)", "36"),
            "key=\(key)",
        ]
        if case .object(let object) = record.parsedValue {
            if let type = object["event_type"] { parts.append(paint(Self.scalarText(type), "1;33")) }
            for (field, value) in object.entries where !["event_type", "received_at", "timestamp"].contains(field) {
                parts.append("\(field)=\(Self.scalarText(value))")
            }
        } else {
            parts.append(String(decoding: record.value ?? [], as: UTF8.self))
        }
        return parts.joined(separator: " ")
    }
}
