import FlowGuardJSON
import FlowGuardKafka
import FlowGuardSupport

extension KafkaRecord {
    /// The record as one JSON object, the one line format of every tool that prints or stores records
    /// (`tail --format json`, `dump`'s objects): `{"topic","partition","offset","timestamp","key","headers","value"}`,
    /// the value parsed as JSON when it is JSON, else as a string.
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

    /// `jsonObject` serialised, without a line break.
    package var jsonLine: [UInt8] {
        JSONWriter.serialize(.object(jsonObject))
    }

    /// The value parsed as JSON when it is JSON, else the value as a string; `null` without a value.
    package var parsedValue: JSONValue {
        guard let value else { return .null }
        if let parsed = try? JSONParser.parse(value) { return parsed }
        return .string(String(decoding: value, as: UTF8.self))
    }
}
