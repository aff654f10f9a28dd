import FlowGuardJSON
import FlowGuardKafka

extension KafkaRecord {
    /// Whether every `field=value` filter matches a top-level field of the record's JSON value: the
    /// rule of `tail --filter` and of the console's JSON-field filter. The field's `scalarText` must
    /// equal the wanted text; a value that is not a JSON object matches no filter.
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
