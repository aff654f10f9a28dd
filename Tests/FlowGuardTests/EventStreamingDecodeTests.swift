@testable import FlowGuardEvents
@testable import FlowGuardGateway
@testable import FlowGuardJSON
import Foundation
import NIOCore
import Testing


/// The gateway decodes event bodies straight into fields, without a `JSONValue` tree. These tests
/// hold it to the tree: for every body, the streaming decoders must give exactly what parsing the
/// whole body with `JSONParser` and validating the tree gives, errors (message and byte offset) included.
@Suite("Streaming event decoding")
struct EventStreamingDecodeTests {
    /// What the tree-based path makes of a single-event body.
    private func reference(_ bytes: [UInt8], as kind: EventKind) -> Result<ValidatedEvent, EventDecodingError> {
        guard !bytes.isEmpty else {
            return .failure(.invalid([ValidationIssue(loc: ["body"], msg: "Field required", type: "missing")]))
        }
        do {
            let value = try JSONParser.parse(bytes)
            return EventDecoder.validate(value, as: kind, location: ["body"]).mapError { .invalid($0.issues) }
        } catch {
            return .failure(.malformed(error))
        }
    }

    private enum BatchOutcome: Equatable, CustomStringConvertible {
        case malformed(offset: Int, message: String)
        case notAnArray
        case items([Result<ValidatedEvent, ValidationFailure>])

        var description: String {
            switch self {
            case .malformed(let offset, let message): "malformed at \(offset): \(message)"
            case .notAnArray: "not an array"
            case .items(let items): "\(items.count) items: \(items)"
            }
        }
    }

    /// What the tree-based path makes of a batch body.
    private func referenceBatch(_ bytes: [UInt8], as kind: EventKind) -> BatchOutcome {
        do {
            guard case .array(let items) = try JSONParser.parse(bytes) else { return .notAnArray }
            return .items(items.enumerated().map { EventDecoder.validate($1, as: kind, location: ["body", .index($0)]) })
        } catch {
            return .malformed(offset: error.byteOffset, message: error.message)
        }
    }

    /// What `BatchIngestor` makes of a batch body.
    private func streamedBatch(_ bytes: [UInt8], as kind: EventKind) throws -> BatchOutcome {
        do {
            let batch = try BatchIngestor.decodeArray(ByteBuffer(bytes: bytes), kind: kind, maxBatch: 1000)
            var items: [Result<ValidatedEvent, ValidationFailure>?] = Array(repeating: nil, count: batch.count)
            for (event, index) in zip(batch.valid, batch.indices) { items[index] = .success(event) }
            for rejection in batch.rejections { items[rejection.index] = .failure(ValidationFailure(rejection.issues)) }
            #expect(items.allSatisfy { $0 != nil })
            return .items(items.compactMap { $0 })
        } catch let error as GatewayError {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(error.body)) as? [String: Any])
            let detail = try #require(object["detail"] as? String)
            if detail.contains("must be a JSON array") { return .notAnArray }
            let offset = try #require(object["byte_offset"] as? Int)
            let prefix = "Malformed JSON at byte \(offset): "
            #expect(detail.hasPrefix(prefix))
            return .malformed(offset: offset, message: String(detail.dropFirst(prefix.count)))
        }
    }

    private static let order = #"{"event_id":"e-1","user_id":7,"order_id":"o-1","item_id":3,"item_name":"Dosa","price":120.5,"timestamp":"2026-11-25T10:00:00Z"}"#
    private static let click = #"{"event_id":"c\u00e9-1", "user_id" : 7 , "ad_id":"ad","is_click":false,"ad_type":"video"}"#

    /// Hand-picked bodies: valid, invalid in fields, and broken JSON in the places the streaming
    /// decoder handles itself (object members, array elements, nesting, keys).
    private static let singleBodies: [String] = [
        order, click, " \n\t" + order + " \r\n", "{}", "[]", "[1]", "null", "17", #""text""#, "",
        #"{"event_id":"a","event_id":"b"}"#,
        #"{"event_id":"a","event\u005fid":"b"}"#,
        #"{"event_id":{"nested":[1,2,{"deep":null}]},"user_id":[],"price":{}}"#,
        #"{"event_id":"a",}"#, #"{"event_id":"a""user_id":1}"#, #"{"event_id" "a"}"#, #"{event_id:"a"}"#,
        #"{"event_id":"a"} x"#, #"{"event_id":"a"}}"#, #"{"event_id":[1,]}"#, #"{"event_id":tru}"#,
        #"{"extra":1,"user_id":-1,"another":{"x":[1,2,3]},"price":"1"}"#,
        "{\"event_id\":" + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "}",
        "{\"event_id\":" + String(repeating: "[", count: 62) + String(repeating: "]", count: 62) + "}",
        String(decoding: [0x7B, 0x22, 0x61, 0xFF, 0x22, 0x3A, 0x31, 0x7D], as: UTF8.self),
    ]

    @Test("a single event decodes exactly as the parsed tree validates, for every prefix of a body and hand-picked breakages")
    func singleEventsMatchTheTree() throws {
        var bodies = Self.singleBodies.map { Array($0.utf8) }
        for seed in [Self.order, Self.click] {
            let bytes = Array(seed.utf8)
            bodies += (0..<bytes.count).map { Array(bytes[..<$0]) }
        }
        bodies.append([0x7B, 0x22, 0x61, 0xFF, 0x22, 0x3A, 0x31, 0x7D])
        for body in bodies {
            for kind in [EventKind.order, .click, .impression] {
                let streamed = EventDecoder.decode(body, as: kind)
                let expected = reference(body, as: kind)
                #expect(streamed == expected, "\(kind) \(String(decoding: body, as: UTF8.self))")
            }
        }
    }

    @Test("a batch decodes exactly as its parsed tree validates, for every prefix of a body and hand-picked breakages")
    func batchesMatchTheTree() throws {
        let items = [Self.order, #"{"event_id":"bad","user_id":0}"#, "42", Self.click, "[]", #"{"user_id":1,"x":null}"#]
        let full = "[" + items.joined(separator: ",") + "]"
        var bodies = [
            full, " [ " + items.joined(separator: " ,\n ") + " ] ", "[]", "[ ]", "[1,]", "[,1]", "[1 2]", "{}", "7", "",
            "[" + Self.order + "] []", "[" + Self.order + ",", "[[[[", "[{\"a\":1,\"a\":2}]",
            "[" + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "]",
        ].map { Array($0.utf8) }
        let bytes = Array(full.utf8)
        bodies += (0..<bytes.count).map { Array(bytes[..<$0]) }
        for body in bodies {
            let streamed = try streamedBatch(body, as: .order)
            let expected = referenceBatch(body, as: .order)
            #expect(streamed == expected, "\(String(decoding: body, as: UTF8.self))")
        }
    }

    /// Bodies around the edges of the plain reader (`EventDecoder.decodePlainEvent`): each field of
    /// each kind replaced by values on both sides of its rules, left out, repeated, or joined by a
    /// field the kind does not have.
    private static func plainReaderEdges() -> [(body: String, kind: EventKind)] {
        let long = String(repeating: "x", count: 128)
        let wide = String(repeating: "é", count: 128)
        let strings = [
            #""a""#, #""""#, "\"\(long)\"", "\"\(long)x\"", "\"\(wide)\"", "\"\(wide)é\"", #""\u0041\"b""#, #""tab\there""#,
            "5", "null", "true", #"["a"]"#, #""unterminated"#,
        ]
        let integers = [
            "1", "0", "-1", "1.0", "1e3", "01", "9223372036854775807", "9223372036854775808", #""7""#, "null", "1.5", "-0",
        ]
        let prices = [
            "120.5", "0", "0.0", "0.00001", "1e2", "1E-400", "-1", #""1""#, "1e400", String(repeating: "9", count: 70),
            "0." + String(repeating: "0", count: 400) + "1", "00.5", "1.", "null", "7",
        ]
        let flags = ["true", "false", "null", "0", #""true""#, "tru", "falsey"]
        let timestamps = [
            "null", #""2026-11-25T10:00:00Z""#, #""2026-11-25T10:00:00.123456+05:30""#, #""bad""#, #""""#, "0", "1764064800123",
            "-1", "1.5", "1e3", "253402300800000", "253402300799999", #""1969-12-31T23:59:59Z""#, "{}",
        ]
        let orderFields: [(String, String, [String])] = [
            ("event_id", #""e-1""#, strings), ("user_id", "7", integers), ("order_id", #""o-1""#, strings),
            ("item_id", "3", integers), ("item_name", #""Dosa""#, strings), ("price", "120.5", prices),
        ]
        let adFields: [(String, String, [String])] = [
            ("event_id", #""c-1""#, strings), ("user_id", "7", integers), ("ad_id", #""ad""#, strings),
            ("is_click", "true", flags), ("ad_type", #""video""#, strings),
        ]
        var bodies: [(String, EventKind)] = []
        for (kind, fields) in [(EventKind.order, orderFields), (.click, adFields), (.impression, adFields)] {
            let base = fields.map { ($0.0, kind == .impression && $0.0 == "is_click" ? "false" : $0.1) }
            func body(_ members: [(String, String)]) -> String {
                "{" + members.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
            }
            bodies.append((body(base), kind))
            bodies.append((" { " + base.map { "\"\($0.0)\" :\t\($0.1)" }.joined(separator: " ,\n ") + " } ", kind))
            for (index, field) in fields.enumerated() {
                for value in field.2 {
                    var members = base
                    members[index].1 = value
                    bodies.append((body(members), kind))
                }
                var without = base
                without.remove(at: index)
                bodies.append((body(without), kind))
                bodies.append((body(base + [base[index]]), kind))
                bodies.append((body(base.reversed()), kind))
            }
            for timestamp in timestamps {
                bodies.append((body(base + [("timestamp", timestamp)]), kind))
            }
            for extra in [("price", "1"), ("ad_id", #""x""#), ("extra", "1"), ("event\\u005fid", #""x""#), ("évent_id", #""x""#)] {
                bodies.append((body(base + [extra]), kind))
            }
            bodies.append((body(base) + ",", kind))
            bodies.append((String(body(base).dropLast()) + ",}", kind))
        }
        return bodies
    }

    /// Bodies that a Swift string literal cannot hold: raw control bytes, NUL and broken UTF-8 inside
    /// an otherwise plain order, and a decomposed `é` (equal to the composed one as a `String`, not as bytes).
    private static func plainReaderRawEdges() -> [[UInt8]] {
        let head = Array(#"{"event_id":"e"#.utf8)
        let tail = Array(#"","user_id":7,"order_id":"o","item_id":3,"item_name":"Dosa","price":1.5}"#.utf8)
        let insides: [[UInt8]] = [[0x00], [0x01], [0x1F], [0x7F], [0xFF], [0xC3], [0xC3, 0xA9], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]]
        return insides.map { head + $0 + tail } + [
            Array(#"{"event_id":"e\u0301","user_id":7,"order_id":"o","item_id":3,"item_name":"é","price":1.5}"#.utf8),
            Array(#"{"event_id":"e"#.utf8) + [0xCC, 0x81] + tail,
            Array(#"{"event_id":"e","user_id":7,"order_id":"o","item_id":3,"item_name":"Dosa","price":1.5"#.utf8) + [0x00, 0x7D],
        ]
    }

    @Test("the plain reader gives what the parsed tree validates to, on every edge of every field's rules, alone and in a batch")
    func plainReaderMatchesTheTree() throws {
        let edges = Self.plainReaderEdges()
        var plainCount = 0
        let inputs: [(bytes: [UInt8], kind: EventKind)] =
            edges.map { (Array($0.body.utf8), $0.kind) } + Self.plainReaderRawEdges().map { ($0, EventKind.order) }
        for (bytes, kind) in inputs {
            let body = String(decoding: bytes, as: UTF8.self)
            let expected = reference(bytes, as: kind)
            let decoded = EventDecoder.decode(bytes, as: kind)
            #expect(decoded == expected, "\(kind) \(body)")
            #expect(EventDecoder.decode(bytes, as: kind, plainFirst: false) == expected, "\(kind) \(body)")
            // `String` equality is canonical equivalence; the Kafka value must match byte for byte.
            if case .success(let event) = decoded, case .success(let tree) = expected {
                #expect(event.value(receivedAtMillis: 0) == tree.value(receivedAtMillis: 0), "\(kind) \(body)")
            }
            let plain = bytes.withUnsafeBytes { raw -> ValidatedEvent? in
                var scanner = JSONScanner(input: raw, maxDepth: JSONParser.defaultMaxDepth)
                scanner.skipWhitespace()
                let event = EventDecoder.decodePlainEvent(from: &scanner, as: kind)
                // It reads one value; what follows is the caller's to check.
                return (try? scanner.expectEnd()) == nil ? nil : event
            }
            if let plain {
                plainCount += 1
                #expect(.success(plain) == expected, "\(kind) \(body)")
            }
        }
        // The plain reader must take the common case, or the gateway silently loses its speed.
        #expect(plainCount >= 60, "the plain reader took only \(plainCount) of \(inputs.count) bodies")
        let valid = inputs.filter { (try? reference($0.bytes, as: $0.kind).get()) != nil }
        #expect(valid.count - plainCount < valid.count / 3, "valid: \(valid.count), read plainly: \(plainCount)")

        for kind in [EventKind.order, .click, .impression] {
            // Every edge that is JSON at all, as items of one batch (broken JSON would fail it whole).
            let items = edges.filter { $0.kind == kind }.map(\.body).filter { (try? JSONParser.parse(Array($0.utf8))) != nil }
            let body = Array(("[" + items.joined(separator: ",") + "]").utf8)
            let expected = referenceBatch(body, as: kind)
            guard case .items(let decoded) = expected else {
                Issue.record("the batch of \(kind) edges does not parse: \(expected)")
                continue
            }
            #expect(decoded.count == items.count)
            #expect(try streamedBatch(body, as: kind) == expected)
        }
    }

    @Test("an NDJSON batch decodes each line as a single event would, and names the broken line")
    func ndjsonLines() throws {
        let body = Self.order + "\r\n\n  \t\n" + #"{"event_id":"x","user_id":"no"}"# + "\n" + Self.order.replacingOccurrences(of: "e-1", with: "e-2")
        let batch = try BatchIngestor.decodeNDJSON(ByteBuffer(string: body), kind: .order, maxBatch: 10)
        #expect(batch.count == 3)
        #expect(batch.indices == [0, 2])
        #expect(batch.valid.map(\.eventID) == ["e-1", "e-2"])
        #expect(batch.rejections.map(\.index) == [1])
        let lineIssues = try #require(batch.rejections.first?.issues)
        #expect(lineIssues.allSatisfy { $0.loc.starts(with: ["body", .index(1)]) })

        let error = try #require(
            #expect(throws: GatewayError.self) {
                try BatchIngestor.decodeNDJSON(ByteBuffer(string: Self.order + "\n\n" + #"{"a":1} 2"#), kind: .order, maxBatch: 10)
            }
        )
        let object = try #require(try JSONSerialization.jsonObject(with: Data(error.body)) as? [String: Any])
        #expect(object["line"] as? Int == 3)
        #expect(object["detail"] as? String == "Malformed JSON on line 3 at byte 8: unexpected data after the JSON value")
    }

    @Test("items past --max-batch are counted, not validated")
    func itemsPastTheLimitAreOnlyCounted() throws {
        let body = "[" + Array(repeating: Self.order, count: 5).joined(separator: ",") + "]"
        let batch = try BatchIngestor.decodeArray(ByteBuffer(string: body), kind: .order, maxBatch: 2)
        #expect(batch.count == 5)
        #expect(batch.valid.count == 2)
    }
}
