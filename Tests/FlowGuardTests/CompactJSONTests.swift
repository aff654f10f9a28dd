@testable import FlowGuardEvents
import FlowGuardJSON
import FlowGuardKafka
import Testing

/// SplitMix64: the same cases on every run, so a failure can be replayed.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private func isCompact(_ text: String) -> Bool {
    CompactJSON.isCompact(Array(text.utf8))
}

/// What the slow path writes for `bytes`: the parsed value written again, or nil when they do not parse.
private func rewritten(_ bytes: [UInt8]) -> [UInt8]? {
    guard let value = try? JSONParser.parse(bytes) else { return nil }
    return JSONWriter.serialize(value)
}

@Suite("CompactJSON: true only for text the writer writes back unchanged")
struct CompactJSONTests {
    @Test("compact texts, as the gateway writes events, are recognised and rewrite to themselves", arguments: [
        #"{"event_id":"e-1","user_id":1001,"price":299.99,"tags":["a","b"],"nested":{"x":null,"y":true,"z":false}}"#,
        #"{"a":-0,"b":1e5,"c":1.5E-3,"d":0.25,"e":-12}"#,
        #"{"s":"quote \" backslash \\ tab \t line \n cr \r bs \b ff \f"}"#,
        #"{"s":"\u0001\u001f\u000b"}"#,
        #"{"name":"Crème brûlée 🍮"}"#,
        #"{}"#, #"[]"#, #"[{},[],""]"#, #""plain string""#, "42", "null", "true",
        #"{"a":{"a":{"a":1}}}"#,
    ])
    func compact(_ text: String) {
        #expect(isCompact(text))
        #expect(rewritten(Array(text.utf8)) == Array(text.utf8))
    }

    @Test("anything else is not", arguments: [
        #"{"a": 1}"#, #" {"a":1}"#, #"{"a":1} "#, "{\"a\":1}\n",  // whitespace
        #"{"a":"\u0041"}"#, #"{"a":"\/"}"#, #"{"a":"\u000a"}"#, #"{"a":"\u001F"}"#, #"{"a":"\u00e9"}"#,  // escapes the writer does not write
        #"{"a":1,"a":2}"#, #"{"k":{"b":1,"b":1}}"#,  // duplicate keys: the parser refuses them
        #"{"é":1}"#, #"{"a\n":1}"#,  // keys that are not plain ASCII
        "01", "-", "1.", "1e", ".5", "+1", "1e+", "--1",  // numbers
        #"{"a":1,}"#, #"[1,]"#, #"[1 2]"#, #"{"a"}"#, #"{"a":}"#, "{", "[", #""open"#, "",  // grammar
        "tru", "nul", "falsey", "1 2", "{}{}",
        "\"\u{01}\"",  // a raw control character
    ])
    func notCompact(_ text: String) {
        #expect(!isCompact(text))
    }

    @Test("invalid UTF-8 in a string is not compact")
    func invalidUTF8() {
        for bytes: [UInt8] in [[0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22]] {
            #expect(!CompactJSON.isCompact(bytes))
            #expect(rewritten(bytes) == nil)
        }
    }

    @Test("the parser's depth limit holds: as deep as it allows is compact, one deeper is not")
    func depth() {
        let deepest = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(isCompact(deepest) && rewritten(Array(deepest.utf8)) != nil)
        #expect(!isCompact(tooDeep) && rewritten(Array(tooDeep.utf8)) == nil)
        #expect(!CompactJSON.isCompact(Array("[[1]]".utf8), maxDepth: 1))
    }

    @Test("top-level members are reported with their key and value ranges")
    func members() {
        let text = Array(#"{"timestamp":"2026-12-04T15:00:00.000Z","n":{"timestamp":1},"a":[1,2]}"#.utf8)
        var members: [(String, String)] = []
        let compact = text.withUnsafeBytes { bytes in
            CompactJSON.isCompact(bytes) { key, value in
                members.append((String(decoding: bytes[key], as: UTF8.self), String(decoding: bytes[value], as: UTF8.self)))
            }
        }
        #expect(compact)
        #expect(members.map(\.0) == ["timestamp", "n", "a"])
        #expect(members.map(\.1) == [#""2026-12-04T15:00:00.000Z""#, #"{"timestamp":1}"#, "[1,2]"])
    }

    /// The property the lake relies on, over random texts: whenever the check says compact, the slow
    /// path gives the same bytes. The texts are written values, then those mutated byte by byte
    /// (most mutations are not compact or not JSON; the ones that are must still hold).
    @Test("whenever the check says compact, parsing and writing again gives the same bytes (60,000 random texts)")
    func soundness() {
        var random = SeededGenerator(state: 20_261_205)
        let alphabet: [UInt8] = Array(#"{}[],:"\ /0123456789-+.eEtrufalsn "#.utf8) + [0x09, 0x0A, 0x01, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xED, 0xA0, 0xFF]
        var compactCount = 0
        for _ in 0..<3_000 {
            let written = JSONWriter.serialize(randomValue(depth: 0, using: &random))
            #expect(CompactJSON.isCompact(written), "a written value is compact: \(String(decoding: written, as: UTF8.self))")
            for _ in 0..<20 {
                var mutated = written
                for _ in 0...Int.random(in: 0...2, using: &random) {
                    let position = Int.random(in: 0...mutated.count, using: &random)
                    let byte = alphabet.randomElement(using: &random)!
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: mutated.insert(byte, at: position)
                    case 1: if position < mutated.count { mutated.remove(at: position) }
                    default: if position < mutated.count { mutated[position] = byte }
                    }
                }
                if CompactJSON.isCompact(mutated) {
                    compactCount += 1
                    #expect(rewritten(mutated) == mutated, "compact but rewritten differently: \(mutated)")
                }
            }
        }
        #expect(compactCount > 1_000, "enough mutations stay compact for the property to be tried")
    }

    @Test("a record's line is the record's JSON object written out, byte for byte, for every kind of value, key and header")
    func recordLines() {
        var random = SeededGenerator(state: 7)
        let values: [[UInt8]?] = [
            nil, [], Array(#"{"a":1}"#.utf8), Array(#"{ "a" : 1 }"#.utf8), Array(#"{"a":"\u00e9"}"#.utf8), Array("not json".utf8),
            [0xFF, 0xFE], Array(#"{"a":1,"a":2}"#.utf8), Array("12".utf8), Array(#""text""#.utf8), Array("[1, 2]".utf8),
        ]
        for index in 0..<2_000 {
            let value = Bool.random(using: &random)
                ? JSONWriter.serialize(randomValue(depth: 0, using: &random)) : values.randomElement(using: &random)!
            let record = KafkaRecord(
                topic: ["raw.orders.v1", "a\"b", "t"].randomElement(using: &random)!,
                partition: Int32.random(in: 0...40, using: &random),
                offset: Int64.random(in: 0...Int64.max, using: &random),
                timestampMillis: Bool.random(using: &random) ? Int64.random(in: -10_000_000_000_000...10_000_000_000_000, using: &random) : nil,
                key: [nil, Array("1001".utf8), [0xC3], Array("k\n\"".utf8)].randomElement(using: &random)!,
                value: value,
                headers: [
                    [], [KafkaHeader(key: "content-type", value: Array("application/json".utf8))],
                    [KafkaHeader(key: "x", value: nil), KafkaHeader(key: "x", value: [0xFF]), KafkaHeader(key: "é\t", value: Array("v\"".utf8))],
                ].randomElement(using: &random)!
            )
            #expect(record.jsonLine == JSONWriter.serialize(.object(record.jsonObject)), "record \(index)")
        }
    }

    private func randomValue(depth: Int, using random: inout SeededGenerator) -> JSONValue {
        let kind = depth >= 4 ? Int.random(in: 0..<4, using: &random) : Int.random(in: 0..<6, using: &random)
        switch kind {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2:
            let lexemes = ["0", "-0", "17", "-12", "299.99", "1e5", "1E-3", "-0.5e+2", "123456789012345678901234567890"]
            return .number(JSONNumber(lexeme: lexemes.randomElement(using: &random)!)!)
        case 3:
            let pieces = ["a", "Masala Dosa", "\"", "\\", "\n", "\t", "\u{01}", "\u{1F}", "é", "€", "🍮", "/", " ", "\r", "\u{08}", "\u{0C}"]
            return .string((0..<Int.random(in: 0...5, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined())
        case 4:
            return .array((0..<Int.random(in: 0...4, using: &random)).map { _ in randomValue(depth: depth + 1, using: &random) })
        default:
            let count = Int.random(in: 0...5, using: &random)
            return .object(JSONObject((0..<count).map { index in (key: "k\(index)", value: randomValue(depth: depth + 1, using: &random)) }))
        }
    }
}
