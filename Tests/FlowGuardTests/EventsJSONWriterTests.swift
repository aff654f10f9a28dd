@testable import FlowGuardJSON
import Testing


private func written(_ value: JSONValue) -> String {
    String(decoding: JSONWriter.serialize(value), as: UTF8.self)
}

@Suite struct EventsJSONWriterTests {
    @Test func writesCompactJSONKeepingOrderAndLexemes() throws {
        let text = #"{"b":[1,-0.50,1e400,{"c":null}],"a":"x","t":true,"f":false,"e":{},"l":[]}"#
        let value = try JSONParser.parse(Array(text.utf8))
        #expect(written(value) == text)
    }

    @Test func escapesOnlyWhatJSONRequires() {
        #expect(written(.string("a\"b\\c/d")) == #""a\"b\\c/d""#)
        #expect(written(.string("\u{08}\u{0C}\n\r\t")) == #""\b\f\n\r\t""#)
        #expect(written(.string("\u{0}\u{01}\u{1A}\u{1F}\u{7F}")) == "\"\\u0000\\u0001\\u001a\\u001f\u{7F}\"")
        #expect(written(.string("café 😀 \u{2028}")) == "\"café 😀 \u{2028}\"")
        #expect(written(.string("")) == #""""#)
    }

    @Test func roundTripsThroughTheParser() throws {
        let value = JSONValue.object(
            JSONObject([
                ("name", .string("Chicken \"65\"\n\u{01}é")),
                ("n", .number(JSONNumber(-9_223_372_036_854_775_808))),
                ("list", .array([.null, .bool(true), .number(JSONNumber(lexeme: "299.999")!)])),
                ("key with \"quotes\"", .object(JSONObject())),
            ])
        )
        #expect(try JSONParser.parse(JSONWriter.serialize(value)) == value)
    }

    @Test func appendsIntegersInDecimal() {
        var buffer: [UInt8] = []
        for integer: Int64 in [0, 7, -7, 1001, .max, .min] {
            JSONWriter.appendInteger(integer, to: &buffer)
            buffer.append(UInt8(ascii: " "))
        }
        #expect(String(decoding: buffer, as: UTF8.self) == "0 7 -7 1001 9223372036854775807 -9223372036854775808 ")
    }

    @Test func appendsToExistingBytes() {
        var buffer = Array("{\"k\":".utf8)
        JSONWriter.appendString("v\"", to: &buffer)
        JSONWriter.append(.array([.number(JSONNumber(1)), .string("2")]), to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"{"k":"v\""[1,"2"]"#)
    }

    @Test func writesDeepValuesWithoutRecursion() throws {
        let depth = 1_000
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let value = try JSONParser.parse(Array(text.utf8), maxDepth: depth)
        #expect(written(value) == text)
    }
}
