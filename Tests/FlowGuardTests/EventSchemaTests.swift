@testable import FlowGuardEvents
@testable import FlowGuardJSON
import FlowGuardSupport
import Foundation
import Testing

/// The schema tables against the decoders and the Kafka value: every example is accepted, every
/// limit holds at its edge and fails one past it with pydantic's message, in both decoders.
@Suite("Event schemas")
struct EventSchemaTests {
    /// Decodes with the plain reader first and without it, and expects both to agree.
    private func decode(_ body: JSONObject, as kind: EventKind, sourceLocation: SourceLocation = #_sourceLocation) -> Result<ValidatedEvent, EventDecodingError> {
        let bytes = JSONWriter.serialize(.object(body))
        let decoded = EventDecoder.decode(bytes, as: kind)
        #expect(EventDecoder.decode(bytes, as: kind, plainFirst: false) == decoded, "\(kind) \(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
        return decoded
    }

    /// The minimal example of `kind` with `field` set to `value`, or left out when `value` is nil.
    private func body(_ kind: EventKind, _ field: EventField, _ value: JSONValue?) -> JSONObject {
        var body = kind.schema.examples()[0].body
        body.entries.removeAll { $0.key == field.name }
        if let value {
            // Schema order: after the fields that come before it in the table.
            let before = Set(kind.schema.fields.prefix { $0.name != field.name }.map(\.name))
            let position = body.entries.firstIndex { !before.contains($0.key) } ?? body.entries.count
            body.entries.insert((key: field.name, value: value), at: position)
        }
        return body
    }

    private func expectAccepted(_ kind: EventKind, _ field: EventField, _ value: JSONValue?, sourceLocation: SourceLocation = #_sourceLocation) {
        let result = decode(body(kind, field, value), as: kind, sourceLocation: sourceLocation)
        #expect((try? result.get()) != nil, "\(kind) \(field.name) = \(value.map { String(decoding: JSONWriter.serialize($0), as: UTF8.self) } ?? "absent"): \(result)", sourceLocation: sourceLocation)
    }

    private func expectRejected(
        _ kind: EventKind, _ field: EventField, _ value: JSONValue?, msg: String, type: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let result = decode(body(kind, field, value), as: kind, sourceLocation: sourceLocation)
        #expect(result == .failure(.invalid([ValidationIssue(loc: ["body", .key(field.name)], msg: msg, type: type)])), "\(kind) \(field.name)", sourceLocation: sourceLocation)
    }

    @Test("every example of every kind is accepted, by the plain reader too, and writes a Kafka value in schema order")
    func examplesAreAccepted() throws {
        for kind in EventKind.allCases {
            let schema = kind.schema
            let examples = schema.examples()
            for example in examples {
                let event = try decode(example.body, as: kind).get()
                #expect(event.eventID == example.eventID)
                let bytes = JSONWriter.serialize(.object(example.body))
                let plain = bytes.withUnsafeBytes { raw -> ValidatedEvent? in
                    var scanner = JSONScanner(input: raw, maxDepth: JSONParser.defaultMaxDepth)
                    return EventDecoder.decodePlainEvent(from: &scanner, as: kind)
                }
                #expect(plain == event, "the plain reader leaves \(kind) example \(example.name) to the full decoder")
                guard case .object(let value) = try JSONParser.parse(event.value(receivedAtMillis: 0)) else {
                    Issue.record("the Kafka value is not an object")
                    continue
                }
                let ownFields = schema.fields.filter { if case .timestamp = $0.rule { false } else { true } }.map(\.name)
                let timestamp = try #require(schema.fields.last?.name)
                #expect(value.entries.map(\.key) == ownFields + [EventSchema.eventTypeKey, timestamp, EventSchema.receivedAtKey])
            }
            // Each example of each field is shown by some example body.
            for field in schema.fields {
                for fieldExample in field.examples {
                    #expect(examples.contains { $0.body[field.name] == fieldExample.value }, "\(kind) \(field.name) \(fieldExample.value)")
                }
            }
            #expect(Set(examples.map(\.name)).count == examples.count, "\(kind): example names repeat")
            #expect(Set(examples.map(\.eventID)).count == examples.count, "\(kind): event ids repeat")
        }
    }

    @Test("each kind's table names each field once in plain ASCII, gives each an example, and ends with the optional timestamp")
    func tablesAreWellFormed() {
        for kind in EventKind.allCases {
            let fields = kind.schema.fields
            #expect(kind.schema.kind == kind)
            #expect(Set(fields.map(\.name)).count == fields.count, "\(kind)")
            // The plain reader compares keys without escapes, as bytes.
            #expect(fields.allSatisfy { $0.name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") } })
            #expect(Set(fields.map(\.slot)).count == fields.count, "\(kind)")
            #expect(fields.allSatisfy { !$0.examples.isEmpty && !$0.description.isEmpty }, "\(kind)")
            #expect(fields.first?.slot == .eventID, "\(kind)")
            #expect(fields.last?.slot == .timestamp && fields.last?.isRequired == false, "\(kind)")
        }
    }

    @Test("every limit of every field holds at its edge and fails one past it, with pydantic's message")
    func limitsHoldAtTheirEdges() {
        for kind in EventKind.allCases {
            for field in kind.schema.fields {
                if field.isRequired {
                    expectRejected(kind, field, nil, msg: "Field required", type: "missing")
                } else {
                    expectAccepted(kind, field, nil)
                    expectAccepted(kind, field, .null)
                }
                switch field.rule {
                case .string(let minLength, let maxLength):
                    for (count, character) in [(minLength, "a"), (maxLength, "a"), (maxLength, "é"), (maxLength, "𝄞")] {
                        expectAccepted(kind, field, .string(String(repeating: character, count: count)))
                    }
                    for character in ["a", "é", "𝄞"] {
                        expectRejected(
                            kind, field, .string(String(repeating: character, count: maxLength + 1)),
                            msg: "String should have at most \(maxLength) characters", type: "string_too_long"
                        )
                    }
                    expectRejected(
                        kind, field, .string(String(repeating: "a", count: minLength - 1)),
                        msg: "String should have at least \(minLength) character\(minLength == 1 ? "" : "s")", type: "string_too_short"
                    )
                    expectRejected(kind, field, 1, msg: "Input should be a valid string", type: "string_type")
                case .integer(let minimum):
                    expectAccepted(kind, field, .number(JSONNumber(minimum)))
                    expectAccepted(kind, field, .number(JSONNumber(Int64.max)))
                    expectRejected(
                        kind, field, .number(JSONNumber(minimum - 1)),
                        msg: "Input should be greater than or equal to \(minimum)", type: "greater_than_equal"
                    )
                    expectRejected(
                        kind, field, .number(JSONNumber(lexeme: "9223372036854775808")!),
                        msg: "Input should be less than or equal to 9223372036854775807", type: "less_than_equal"
                    )
                    expectRejected(kind, field, "1", msg: "Input should be a valid integer", type: "int_type")
                case .number(let exclusiveMinimum):
                    expectAccepted(kind, field, .number(JSONNumber(lexeme: "\(exclusiveMinimum).001")!))
                    expectAccepted(kind, field, .number(JSONNumber(lexeme: "\(exclusiveMinimum + 1)e0")!))
                    expectRejected(
                        kind, field, .number(JSONNumber(exclusiveMinimum)),
                        msg: "Input should be greater than \(exclusiveMinimum)", type: "greater_than"
                    )
                    expectRejected(kind, field, .number(JSONNumber(lexeme: "1e400")!), msg: "Input should be a finite number", type: "finite_number")
                    expectRejected(kind, field, "1", msg: "Input should be a valid number", type: "float_type")
                case .boolean:
                    expectAccepted(kind, field, true)
                    expectAccepted(kind, field, false)
                    expectRejected(kind, field, 1, msg: "Input should be a valid boolean", type: "bool_type")
                case .falseOnly:
                    expectAccepted(kind, field, false)
                    expectRejected(kind, field, true, msg: "Input should be False", type: "literal_error")
                case .timestamp(let range):
                    for millis in [range.lowerBound, range.upperBound] {
                        expectAccepted(kind, field, .number(JSONNumber(millis)))
                        expectAccepted(kind, field, .string(RFC3339.format(millis: millis)))
                    }
                    let bounds = "\(RFC3339.format(millis: range.lowerBound)) and \(RFC3339.format(millis: range.upperBound))"
                    for millis in [range.lowerBound - 1, range.upperBound + 1] {
                        expectRejected(
                            kind, field, .number(JSONNumber(millis)),
                            msg: "Value error, \(field.name) must be between \(bounds)", type: "value_error"
                        )
                    }
                    expectRejected(
                        kind, field, true,
                        msg: "Value error, \(field.name) must be an RFC 3339 string or integer epoch milliseconds", type: "value_error"
                    )
                }
            }
        }
    }

    @Test("docs/api.md's field table is the one the schemas give")
    func fieldTableIsCurrent() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appending(path: "docs/api.md")
        let text = try String(contentsOf: path, encoding: .utf8)
        let begin = try #require(text.range(of: "<!-- fields: "))
        let beginLine = try #require(text.range(of: "-->\n", range: begin.upperBound..<text.endIndex))
        let end = try #require(text.range(of: "<!-- fields:end -->", range: beginLine.upperBound..<text.endIndex))
        let expected = EventSchema.markdownFieldTable + "\n"
        if ProcessInfo.processInfo.environment["FLOWGUARD_UPDATE_SNAPSHOTS"] == "1" {
            try (text[..<beginLine.upperBound] + expected + text[end.lowerBound...]).write(to: path, atomically: true, encoding: .utf8)
            return
        }
        #expect(String(text[beginLine.upperBound..<end.lowerBound]) == expected, "run FLOWGUARD_UPDATE_SNAPSHOTS=1 swift test --filter fieldTableIsCurrent")
        #expect(expected.contains("| `item_name` | required | – | – | string, 1–256 characters |"))
    }
}
