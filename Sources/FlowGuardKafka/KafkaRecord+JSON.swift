import FlowGuardJSON
import FlowGuardSupport

/// The one JSON form of a record, shared by `flowguard tail --format json` and the console's API and
/// NDJSON export, so that a record read either way compares equal line for line.
extension KafkaRecord {
    /// `{"topic","partition","offset","timestamp","key","headers","value"}`; the value parsed as JSON
    /// when it is JSON, else its text (invalid UTF-8 replaced); a header without a UTF-8 value is null.
    package var jsonObject: JSONObject {
        let headers = JSONObject(headers.map { (key: $0.key, value: $0.stringValue.map(JSONValue.string) ?? .null) })
        return JSONObject([
            (key: "topic", value: .string(topic)),
            (key: "partition", value: .number(JSONNumber(Int64(partition)))),
            (key: "offset", value: .number(JSONNumber(offset))),
            (key: "timestamp", value: timestampMillis.map { .string(RFC3339.format(millis: $0)) } ?? .null),
            (key: "key", value: key.map { .string(String(decoding: $0, as: UTF8.self)) } ?? .null),
            (key: "headers", value: .object(headers)),
            (key: "value", value: parsedValue),
        ])
    }

    /// The value parsed as JSON when it is JSON, else its text; null for a record without value.
    package var parsedValue: JSONValue {
        guard let value else { return .null }
        if let parsed = try? JSONParser.parse(value) { return parsed }
        return .string(String(decoding: value, as: UTF8.self))
    }

    /// Whether every `field=value` filter matches a top-level field of the record's JSON value
    /// (`tail --filter`): the field's scalar text (`scalarText`) must equal the wanted text.
    package func matches(fields filters: [(String, String)]) -> Bool {
        guard !filters.isEmpty else { return true }
        guard case .object(let object) = parsedValue else { return false }
        return filters.allSatisfy { field, wanted in
            object[field].map(Self.scalarText) == wanted
        }
    }

    /// A JSON value as a filter compares it: strings without quotes, numbers as written, `true`,
    /// `false`, `null`; arrays and objects as compact JSON.
    package static func scalarText(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .number(let number): return number.lexeme
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        default: return String(decoding: JSONWriter.serialize(value), as: UTF8.self)
        }
    }
}
