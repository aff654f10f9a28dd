@testable import FlowGuardJSON
import Testing


/// Parses UTF-8 text.
private func parse(_ text: String, maxDepth: Int = JSONParser.defaultMaxDepth) throws(JSONParseError) -> JSONValue {
    try JSONParser.parse(Array(text.utf8), maxDepth: maxDepth)
}

/// The error raised for some bytes, or nil when they parse.
private func parseError(_ bytes: [UInt8], maxDepth: Int = JSONParser.defaultMaxDepth) -> JSONParseError? {
    do {
        _ = try JSONParser.parse(bytes, maxDepth: maxDepth)
        return nil
    } catch {
        return error
    }
}

private func parseError(_ text: String, maxDepth: Int = JSONParser.defaultMaxDepth) -> JSONParseError? {
    parseError(Array(text.utf8), maxDepth: maxDepth)
}

private func number(_ lexeme: String) -> JSONValue {
    .number(JSONNumber(lexeme: lexeme)!)
}

@Suite struct JSONParserTests {
    // MARK: Valid documents

    @Test func parsesEveryScalar() throws {
        #expect(try parse("null") == .null)
        #expect(try parse("true") == .bool(true))
        #expect(try parse("false") == .bool(false))
        #expect(try parse(#""hi""#) == .string("hi"))
        #expect(try parse("0") == number("0"))
        #expect(try parse("-12.5e+3") == number("-12.5e+3"))
    }

    @Test func keepsMemberOrderAndNesting() throws {
        let value = try parse(#" {"b": [1, {"c": null}], "a": "x"} "#)
        let expected = JSONValue.object(
            JSONObject([
                ("b", .array([number("1"), .object(JSONObject([("c", .null)]))])),
                ("a", .string("x")),
            ])
        )
        #expect(value == expected)
        guard case .object(let object) = value else {
            Issue.record("not an object")
            return
        }
        #expect(object.entries.map(\.key) == ["b", "a"])
        #expect(object["a"] == .string("x"))
        #expect(object["missing"] == nil)
    }

    @Test func parsesEmptyContainers() throws {
        #expect(try parse("[]") == .array([]))
        #expect(try parse("{ }") == .object(JSONObject()))
        #expect(try parse("[[],{}]") == .array([.array([]), .object(JSONObject())]))
    }

    @Test func acceptsOnlyTheFourWhitespaceCharacters() throws {
        #expect(try parse(" \t\r\n[ 1 ,\t2 ]\n") == .array([number("1"), number("2")]))
        #expect(parseError("\u{0B}1") == JSONParseError(byteOffset: 0, message: "unexpected byte 0x0B, expected a value"))
        #expect(parseError("\u{A0}1")?.byteOffset == 0)
    }

    // MARK: Numbers

    @Test func keepsNumberLexemesAndIntegerValues() throws {
        let price = try #require(JSONNumber(lexeme: "299.999"))
        #expect(price.lexeme == "299.999")
        #expect(price.isInteger == false)
        #expect(price.int64 == nil)
        #expect(price.double == 299.999)

        #expect(JSONNumber(lexeme: "9223372036854775807")?.int64 == Int64.max)
        #expect(JSONNumber(lexeme: "-9223372036854775808")?.int64 == Int64.min)
        #expect(JSONNumber(lexeme: "-0")?.int64 == 0)
        let tooBig = try #require(JSONNumber(lexeme: "9223372036854775808"))
        #expect(tooBig.isInteger && tooBig.int64 == nil)
        #expect(JSONNumber(lexeme: "-9223372036854775809")?.int64 == nil)
        #expect(JSONNumber(lexeme: "184467440737095516160")?.int64 == nil)
        #expect(JSONNumber(lexeme: "1.0")?.int64 == nil)
        #expect(JSONNumber(lexeme: "1e3")?.int64 == nil)
    }

    @Test func outOfRangeDoublesBecomeInfinite() throws {
        #expect(JSONNumber(lexeme: "1e400")?.double == .infinity)
        #expect(JSONNumber(lexeme: "-1E400")?.double == -.infinity)
        #expect(JSONNumber(lexeme: "1e-400")?.double == 0)
    }

    @Test func numberInitialisersCheckTheGrammar() {
        #expect(JSONNumber(lexeme: "01") == nil)
        #expect(JSONNumber(lexeme: "") == nil)
        #expect(JSONNumber(lexeme: " 1") == nil)
        #expect(JSONNumber(lexeme: "1 ") == nil)
        #expect(JSONNumber(lexeme: "+1") == nil)
        #expect(JSONNumber(lexeme: "0x10") == nil)
        #expect(JSONNumber(42).lexeme == "42")
        #expect(JSONNumber(-7).int64 == -7)
        #expect(JSONNumber(299.99)?.lexeme == "299.99")
        #expect(JSONNumber(Double.nan) == nil)
        #expect(JSONNumber(Double.infinity) == nil)
    }

    @Test func rejectsLeadingZeros() {
        #expect(parseError("01") == JSONParseError(byteOffset: 0, message: "leading zeros are not allowed"))
        #expect(parseError("-007") == JSONParseError(byteOffset: 1, message: "leading zeros are not allowed"))
        #expect(parseError("[1, 00]") == JSONParseError(byteOffset: 4, message: "leading zeros are not allowed"))
        #expect(try! parse("0.5") == number("0.5"))
    }

    @Test func rejectsMalformedNumbers() {
        #expect(parseError("1.e5") == JSONParseError(byteOffset: 2, message: "expected a digit after the decimal point"))
        #expect(parseError("1e+x") == JSONParseError(byteOffset: 3, message: "expected a digit in the exponent"))
        #expect(parseError("-a") == JSONParseError(byteOffset: 1, message: "expected a digit after '-'"))
        #expect(parseError("+1") == JSONParseError(byteOffset: 0, message: "unexpected character '+', expected a value"))
        #expect(parseError(".5") == JSONParseError(byteOffset: 0, message: "unexpected character '.', expected a value"))
        #expect(parseError("1.5.2") == JSONParseError(byteOffset: 3, message: "unexpected data after the JSON value"))
    }

    @Test func rejectsNaNAndInfinityLiterals() {
        #expect(parseError("NaN") == JSONParseError(byteOffset: 0, message: "unexpected character 'N', expected a value"))
        #expect(parseError("Infinity") == JSONParseError(byteOffset: 0, message: "unexpected character 'I', expected a value"))
        #expect(parseError("-Infinity") == JSONParseError(byteOffset: 1, message: "expected a digit after '-'"))
        #expect(parseError("[nan]") == JSONParseError(byteOffset: 1, message: "invalid literal, expected 'null'"))
    }

    // MARK: Structure errors

    @Test func reportsStructureErrorsAtTheOffendingByte() {
        #expect(parseError(#"{"a":1,}"#) == JSONParseError(byteOffset: 6, message: "trailing comma in object"))
        #expect(parseError("[1,2,]") == JSONParseError(byteOffset: 4, message: "trailing comma in array"))
        #expect(parseError("[1,,2]") == JSONParseError(byteOffset: 3, message: "unexpected character ',', expected a value"))
        #expect(parseError(#"{"a" 1}"#) == JSONParseError(byteOffset: 5, message: "expected ':' after object key"))
        #expect(
            parseError(#"{"a":1 "b":2}"#) == JSONParseError(byteOffset: 7, message: "expected ',' or '}' after object member")
        )
        #expect(parseError("[1 2]") == JSONParseError(byteOffset: 3, message: "expected ',' or ']' after array element"))
        #expect(parseError("{1:2}") == JSONParseError(byteOffset: 1, message: "expected a string key in object"))
        #expect(parseError("{'a':1}") == JSONParseError(byteOffset: 1, message: "expected a string key in object"))
        #expect(parseError(#"{"a":}"#) == JSONParseError(byteOffset: 5, message: "unexpected character '}', expected a value"))
        #expect(parseError("[1]x") == JSONParseError(byteOffset: 3, message: "unexpected data after the JSON value"))
        #expect(parseError("{} {}") == JSONParseError(byteOffset: 3, message: "unexpected data after the JSON value"))
        #expect(parseError("[}") == JSONParseError(byteOffset: 1, message: "unexpected character '}', expected a value"))
        #expect(parseError("trux") == JSONParseError(byteOffset: 0, message: "invalid literal, expected 'true'"))
    }

    @Test(arguments: ["", "   ", "{", "[", #"{"a""#, #"{"a":"#, #"{"a":1"#, #"{"a":1,"#, "[1,", #""abc"#, #""a\"#, #""\u12"#, #""\ud83d"#, #""\ud83d\"#, #""\ud83d\u"#, "tru", "-", "1.", "1e", "1e+"])
    func reportsTruncatedInputAtItsEnd(text: String) {
        #expect(parseError(text) == JSONParseError(byteOffset: text.utf8.count, message: "unexpected end of input"))
    }

    @Test func describesErrorsWithTheirOffset() {
        #expect(JSONParseError(byteOffset: 7, message: "expected ',' or '}' after object member").description
            == "expected ',' or '}' after object member at byte 7")
    }

    // MARK: Strings

    @Test func decodesEveryEscape() throws {
        #expect(try parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{08}\u{0C}\n\r\t"))
        #expect(try parse(#""caf\u00e9 \u20AC""#) == .string("café €"))
        #expect(try parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try parse(#""a\u0000b""#) == .string("a\u{0}b"))
    }

    @Test func rejectsBadEscapes() {
        #expect(parseError(#""a\x""#) == JSONParseError(byteOffset: 2, message: "invalid escape sequence in string"))
        #expect(parseError(#""\'""#) == JSONParseError(byteOffset: 1, message: "invalid escape sequence in string"))
        #expect(parseError(#""\u12G4""#) == JSONParseError(byteOffset: 1, message: "expected four hex digits after \\u"))
    }

    @Test func rejectsLoneSurrogates() {
        let lone = "lone surrogate in \\u escape"
        #expect(parseError(#""\ud83d""#) == JSONParseError(byteOffset: 1, message: lone))
        #expect(parseError(#""\ude00x""#) == JSONParseError(byteOffset: 1, message: lone))
        #expect(parseError(#""ab\ud83d\u0041""#) == JSONParseError(byteOffset: 3, message: lone))
        #expect(parseError(#""\ud83dx""#) == JSONParseError(byteOffset: 1, message: lone))
    }

    @Test func rejectsRawControlCharactersInStrings() {
        #expect(parseError("\"a\nb\"") == JSONParseError(byteOffset: 2, message: "unescaped control byte 0x0A in string"))
        #expect(parseError("\"\tx\"") == JSONParseError(byteOffset: 1, message: "unescaped control byte 0x09 in string"))
        #expect(parseError([0x22, 0x61, 0x00, 0x22]) == JSONParseError(byteOffset: 2, message: "unescaped control byte 0x00 in string"))
        #expect(parseError(#"{"k\u0041":"x"# + "\u{1F}\"}")?.byteOffset == 13)
    }

    @Test func rejectsNULOutsideStrings() {
        #expect(parseError([0x7B, 0x7D, 0x00]) == JSONParseError(byteOffset: 2, message: "unexpected data after the JSON value"))
        #expect(parseError([0x00]) == JSONParseError(byteOffset: 0, message: "unexpected byte 0x00, expected a value"))
    }

    @Test func decodesMultiByteUTF8() throws {
        #expect(try parse("\"Biryani – बिरयानी 😋\"") == .string("Biryani – बिरयानी 😋"))
        #expect(try parse(#""\n日本""#) == .string("\n日本"))
    }

    @Test func rejectsInvalidUTF8AtTheSequenceStart() {
        let invalid = "invalid UTF-8"
        #expect(parseError([0x22, 0x61, 0xFF, 0x62, 0x22]) == JSONParseError(byteOffset: 2, message: invalid))
        #expect(parseError([0x22, 0xC0, 0x80, 0x22]) == JSONParseError(byteOffset: 1, message: invalid))  // overlong NUL
        #expect(parseError([0x22, 0xE0, 0x80, 0x80, 0x22]) == JSONParseError(byteOffset: 1, message: invalid))  // overlong
        #expect(parseError([0x22, 0xED, 0xA0, 0x80, 0x22]) == JSONParseError(byteOffset: 1, message: invalid))  // surrogate
        #expect(parseError([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22]) == JSONParseError(byteOffset: 1, message: invalid))  // > U+10FFFF
        #expect(parseError([0x22, 0xE2, 0x82, 0x22]) == JSONParseError(byteOffset: 1, message: invalid))  // cut short
        #expect(parseError([0x22, 0x80, 0x22]) == JSONParseError(byteOffset: 1, message: invalid))  // stray continuation
        // Invalid bytes after an escape take the slow path and are still caught.
        #expect(parseError([0x22, 0x5C, 0x6E, 0xFE, 0x22]) == JSONParseError(byteOffset: 3, message: invalid))
        #expect(parseError([0x22, 0xE2, 0x82]) == JSONParseError(byteOffset: 3, message: "unexpected end of input"))
    }

    @Test func rejectsAByteOrderMark() {
        #expect(parseError([0xEF, 0xBB, 0xBF, 0x7B, 0x7D]) == JSONParseError(byteOffset: 0, message: "unexpected byte 0xEF, expected a value"))
    }

    @Test func parsesHugeStrings() throws {
        let plain = String(repeating: "a", count: 1 << 20)
        #expect(try parse("\"\(plain)\"") == .string(plain))
        let escaped = String(repeating: #"\"é"#, count: 100_000)
        let value = try parse("[\"\(escaped)\"]")
        #expect(value == .array([.string(String(repeating: "\"é", count: 100_000))]))
    }

    // MARK: Duplicate keys

    @Test func rejectsDuplicateKeys() {
        #expect(parseError(#"{"x":1,"x":2}"#) == JSONParseError(byteOffset: 7, message: "duplicate key \"x\""))
        #expect(parseError(#"{"a":1, "\u0061":2}"#) == JSONParseError(byteOffset: 8, message: "duplicate key \"a\""))
        #expect(parseError(#"[{"x":1},{"y":{"z":1,"z":1}}]"#)?.message == "duplicate key \"z\"")
    }

    @Test func allowsTheSameKeyInDifferentObjects() throws {
        let value = try parse(#"{"x":{"x":1},"y":[{"x":2},{"x":3}]}"#)
        guard case .object(let object) = value else {
            Issue.record("not an object")
            return
        }
        #expect(object.count == 2)
    }

    @Test func findsDuplicatesInLargeObjects() throws {
        let members = (0..<1000).map { #""k\#($0)":\#($0)"# }
        let unique = "{" + members.joined(separator: ",") + "}"
        guard case .object(let object) = try parse(unique) else {
            Issue.record("not an object")
            return
        }
        #expect(object.count == 1000)
        #expect(object["k999"] == number("999"))

        let duplicated = "{" + members.joined(separator: ",") + #","k500":0}"#
        #expect(parseError(duplicated) == JSONParseError(byteOffset: unique.utf8.count, message: "duplicate key \"k500\""))
    }

    // MARK: Depth

    @Test func acceptsNestingUpToTheLimit() throws {
        let deepest = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(parseError(deepest) == nil)
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(parseError(tooDeep) == JSONParseError(byteOffset: 64, message: "nesting exceeds the maximum depth of 64"))
        #expect(parseError(#"{"a":{"b":[{}]}}"#, maxDepth: 3) == JSONParseError(byteOffset: 11, message: "nesting exceeds the maximum depth of 3"))
        #expect(parseError("1", maxDepth: 0) == nil)
        #expect(parseError("[]", maxDepth: 0)?.byteOffset == 0)
    }

    @Test func failsCleanlyOnTenThousandOpenBrackets() {
        let brackets = String(repeating: "[", count: 10_000)
        #expect(parseError(brackets) == JSONParseError(byteOffset: 64, message: "nesting exceeds the maximum depth of 64"))
        let objects = String(repeating: #"{"a":"#, count: 10_000)
        #expect(parseError(objects) == JSONParseError(byteOffset: 64 * 5, message: "nesting exceeds the maximum depth of 64"))
    }

    @Test func parsesDeepNestingWhenAllowed() throws {
        // Parsing is iterative, but Swift releases nested values recursively, so stay well within a
        // 512 KiB task stack here.
        let depth = 1_000
        let text = String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
        #expect(parseError(text, maxDepth: depth - 1)?.byteOffset == depth - 1)
        var value = try parse(text, maxDepth: depth)
        var levels = 0
        while case .array(let elements) = value {
            levels += 1
            value = elements[0]
        }
        #expect(levels == depth)
        #expect(value == number("1"))
    }

    // MARK: Input forms

    @Test func acceptsAnyByteCollection() throws {
        let text = #"{"a":[1,"two",true]}"#
        let expected = try parse(text)
        let bytes = Array(text.utf8)
        #expect(try JSONParser.parse(text.utf8) == expected)
        #expect(try JSONParser.parse(bytes[...]) == expected)
        #expect(try JSONParser.parse(bytes.lazy.map { $0 }) == expected)
        #expect(try bytes.withUnsafeBytes { buffer in try JSONParser.parse(buffer) } == expected)
        #expect(throws: JSONParseError(byteOffset: 2, message: "unexpected end of input")) {
            try JSONParser.parse([UInt8](#"[1"#.utf8).lazy.map { $0 })
        }
    }
}
