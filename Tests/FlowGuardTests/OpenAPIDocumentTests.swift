@testable import FlowGuardEvents
@testable import FlowGuardGateway
@testable import FlowGuardJSON
import Foundation
import Testing

/// The committed snapshot of the served document: a change to the API contract shows as a diff of it.
private let snapshotURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("docs/openapi.json")

@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    /// After a deliberate change of the contract, refresh the snapshot with
    /// `FLOWGUARD_UPDATE_SNAPSHOTS=1 swift test --skip-build --filter OpenAPIDocumentTests`
    /// and commit `docs/openapi.json` with the change.
    @Test("the served /openapi.json is docs/openapi.json, byte for byte")
    func servedDocumentIsTheSnapshot() async throws {
        let harness = try await GatewayHarness()
        try await harness.test { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let served = response.text
            if ProcessInfo.processInfo.environment["FLOWGUARD_UPDATE_SNAPSHOTS"] == "1" {
                try served.write(to: snapshotURL, atomically: true, encoding: .utf8)
                return
            }
            let committed = try String(contentsOf: snapshotURL, encoding: .utf8)
            // Only the lines that differ: the documents are 2,000 lines each.
            if served != committed {
                Issue.record(
                    Comment(
                        rawValue: "docs/openapi.json is not what /openapi.json serves (- snapshot, + served); if the change is meant, refresh it with FLOWGUARD_UPDATE_SNAPSHOTS=1:\n"
                            + lineDiff(from: committed, to: served)
                    )
                )
            }
        }
    }

    @Test("each event schema of the document lists its table's fields, required ones and limits")
    func eventSchemasFollowTheTables() throws {
        let document = OpenAPIDocument.document(version: "test")
        for kind in EventKind.allCases {
            let table = kind.schema
            let schema = try #require(member(document, "components", "schemas", table.title))
            #expect(member(schema, "additionalProperties") == .bool(false))
            #expect(member(schema, "required") == .array(table.fields.filter(\.isRequired).map { .string($0.name) }))
            guard case .object(let properties)? = member(schema, "properties") else {
                Issue.record("\(table.title) has no properties")
                continue
            }
            #expect(properties.entries.map(\.key) == table.fields.map(\.name))
            for field in table.fields {
                let property = try #require(properties[field.name])
                switch field.rule {
                case .string(let minLength, let maxLength):
                    #expect(member(property, "minLength") == .number(JSONNumber(Int64(minLength))), "\(kind) \(field.name)")
                    #expect(member(property, "maxLength") == .number(JSONNumber(Int64(maxLength))), "\(kind) \(field.name)")
                case .integer(let minimum):
                    #expect(member(property, "minimum") == .number(JSONNumber(minimum)), "\(kind) \(field.name)")
                case .number(let exclusiveMinimum):
                    #expect(member(property, "exclusiveMinimum") == .number(JSONNumber(exclusiveMinimum)), "\(kind) \(field.name)")
                case .boolean, .falseOnly:
                    #expect(member(property, "description") == .string(field.description), "\(kind) \(field.name)")
                case .timestamp(let range):
                    let reference = try #require(member(property, "$ref"))
                    guard case .string(let pointer) = reference else { throw TimestampReferenceError() }
                    let name = String(pointer.split(separator: "/").last ?? "")
                    let forms = try #require(member(document, "components", "schemas", name, "oneOf"))
                    #expect(member(forms, 1, "minimum") == .number(JSONNumber(range.lowerBound)))
                    #expect(member(forms, 1, "maximum") == .number(JSONNumber(range.upperBound)))
                }
            }
        }
    }

    @Test("the JSON writer indents the document as people read it")
    func indentedWriting() {
        let value: JSONValue = ["a": [1, 2.5, "x"], "b": [:], "c": [], "d": ["e": .null, "f": true]]
        let text = String(decoding: JSONWriter.serializeIndented(value), as: UTF8.self)
        #expect(text == "{\n  \"a\": [\n    1,\n    2.5,\n    \"x\"\n  ],\n  \"b\": {},\n  \"c\": [],\n  \"d\": {\n    \"e\": null,\n    \"f\": true\n  }\n}")
        #expect(JSONWriter.serialize(value) == Array(#"{"a":[1,2.5,"x"],"b":{},"c":[],"d":{"e":null,"f":true}}"#.utf8))
    }
}

private struct TimestampReferenceError: Error {}

/// The value at a path of object keys and array indices.
private func member(_ value: JSONValue, _ path: Any...) -> JSONValue? {
    var current: JSONValue? = value
    for step in path {
        switch (current, step) {
        case (.object(let object)?, let key as String): current = object[key]
        case (.array(let elements)?, let index as Int): current = elements.indices.contains(index) ? elements[index] : nil
        default: return nil
        }
    }
    return current
}

/// The lines that differ between two texts, numbered as in each: `-` only in `old`, `+` only in `new`.
func lineDiff(from old: String, to new: String, limit: Int = 80) -> String {
    let oldLines = old.split(separator: "\n", omittingEmptySubsequences: false)
    let newLines = new.split(separator: "\n", omittingEmptySubsequences: false)
    var rows: [(line: Int, text: String)] = []
    for change in newLines.difference(from: oldLines) {
        switch change {
        case .remove(let offset, let element, _): rows.append((offset, "- \(offset + 1): \(element)"))
        case .insert(let offset, let element, _): rows.append((offset, "+ \(offset + 1): \(element)"))
        }
    }
    let shown = rows.sorted { $0.line < $1.line }.prefix(limit).map(\.text)
    return shown.joined(separator: "\n") + (rows.count > limit ? "\n… \(rows.count - limit) more lines" : "")
}
