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
        var line: [UInt8] = []
        appendJSONLine(to: &line)
        return line
    }

    /// Appends `jsonObject` serialised, without a line break, and without building the object: the
    /// members are written one by one, and a value that is already compact JSON (``CompactJSON``, as
    /// the gateway writes every event) is copied rather than parsed and written again. What it writes
    /// is `JSONWriter.serialize(.object(jsonObject))` byte for byte; a test holds the two together.
    /// - Parameter valueMember: given the value's bytes and the ranges of each top-level member's key
    ///   and value when the value is a compact object, as ``CompactJSON`` finds them on its one pass.
    /// - Returns: the value as parsed when it was not compact, for a caller that needs more of it; nil
    ///   when it was compact and copied (the members were reported only then).
    @discardableResult
    package func appendJSONLine(
        to line: inout [UInt8],
        valueMember: (_ value: UnsafeRawBufferPointer, _ key: Range<Int>, _ member: Range<Int>) -> Void = { _, _, _ in }
    ) -> JSONValue? {
        JSONWriter.appendRaw(#"{"topic":"#, to: &line)
        JSONWriter.appendString(topic, to: &line)
        JSONWriter.appendRaw(#","partition":"#, to: &line)
        JSONWriter.appendInteger(Int64(partition), to: &line)
        JSONWriter.appendRaw(#","offset":"#, to: &line)
        JSONWriter.appendInteger(offset, to: &line)
        JSONWriter.appendRaw(#","timestamp":"#, to: &line)
        if let timestampMillis {
            line.append(UInt8(ascii: "\""))
            RFC3339.append(millis: timestampMillis, to: &line)
            line.append(UInt8(ascii: "\""))
        } else {
            JSONWriter.appendRaw("null", to: &line)
        }
        JSONWriter.appendRaw(#","key":"#, to: &line)
        if let key {
            JSONWriter.appendString(String(decoding: key, as: UTF8.self), to: &line)
        } else {
            JSONWriter.appendRaw("null", to: &line)
        }
        JSONWriter.appendRaw(#","headers":{"#, to: &line)
        for (index, header) in headers.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            JSONWriter.appendString(header.key, to: &line)
            line.append(UInt8(ascii: ":"))
            if let text = header.stringValue {
                JSONWriter.appendString(text, to: &line)
            } else {
                JSONWriter.appendRaw("null", to: &line)
            }
        }
        JSONWriter.appendRaw(#"},"value":"#, to: &line)
        var parsed: JSONValue?
        if let value, value.withUnsafeBytes({ bytes in CompactJSON.isCompact(bytes) { valueMember(bytes, $0, $1) } }) {
            line.append(contentsOf: value)
        } else {
            let whole = parsedValue
            JSONWriter.append(whole, to: &line)
            parsed = whole
        }
        line.append(UInt8(ascii: "}"))
        return parsed
    }

    /// The value parsed as JSON when it is JSON, else the value as a string; `null` without a value.
    package var parsedValue: JSONValue {
        guard let value else { return .null }
        if let parsed = try? JSONParser.parse(value) { return parsed }
        return .string(String(decoding: value, as: UTF8.self))
    }
}
