@testable import FlowGuardEvents
@testable import FlowGuardJSON
import Testing


private let orderSeed =
    #"{"event_id":"test_001","user_id":1001,"order_id":"ORD-001","item_id":501,"item_name":"Biryani","price":299.99}"#
private let clickSeed = #"{"event_id":"test_002","user_id":1001,"ad_id":"ad_123","is_click":true,"ad_type":"banner"}"#
/// 2026-11-25T10:00:00.123Z
private let receivedAt: Int64 = 1_795_600_800_123

/// Members of a body as raw JSON text, so that tests can swap in any value.
private let orderMembers: [(String, String)] = [
    ("event_id", #""test_001""#), ("user_id", "1001"), ("order_id", #""ORD-001""#),
    ("item_id", "501"), ("item_name", #""Biryani""#), ("price", "299.99"),
]
private let clickMembers: [(String, String)] = [
    ("event_id", #""test_002""#), ("user_id", "1001"), ("ad_id", #""ad_123""#),
    ("is_click", "true"), ("ad_type", #""banner""#),
]
private let impressionMembers: [(String, String)] = [
    ("event_id", #""imp_001""#), ("user_id", "1001"), ("ad_id", #""ad_123""#), ("ad_type", #""banner""#),
]

/// Builds a body from members, replacing (or, with nil, removing) some of them and appending the rest.
private func body(_ members: [(String, String)], setting changes: [(String, String?)] = []) -> String {
    var members = members
    for (key, json) in changes {
        if let index = members.firstIndex(where: { $0.0 == key }) {
            if let json { members[index].1 = json } else { members.remove(at: index) }
        } else if let json {
            members.append((key, json))
        }
    }
    return "{" + members.map { #""\#($0.0)":\#($0.1)"# }.joined(separator: ",") + "}"
}

private func decode(_ text: String, as kind: EventKind) -> Result<ValidatedEvent, EventDecodingError> {
    EventDecoder.decode(Array(text.utf8), as: kind)
}

/// The issues of an invalid body, or an empty list (and a recorded failure) otherwise.
private func issues(_ text: String, as kind: EventKind, sourceLocation: SourceLocation = #_sourceLocation) -> [ValidationIssue] {
    switch decode(text, as: kind) {
    case .failure(.invalid(let issues)):
        return issues
    case .failure(.malformed(let error)):
        Issue.record("malformed: \(error)", sourceLocation: sourceLocation)
    case .success(let event):
        Issue.record("unexpectedly valid: \(event)", sourceLocation: sourceLocation)
    }
    return []
}

private func event(_ text: String, as kind: EventKind) throws -> ValidatedEvent {
    try decode(text, as: kind).get()
}

private func string(_ bytes: [UInt8]) -> String {
    String(decoding: bytes, as: UTF8.self)
}

@Suite struct EventValidationTests {
    // MARK: Seed requests

    @Test func orderSeedProducesTheExpectedRecord() throws {
        let order = try event(orderSeed, as: .order)
        #expect(order.kind == .order)
        #expect(order.eventID == "test_001")
        #expect(order.userID == 1001)
        #expect(order.clientTimestampMillis == nil)
        #expect(
            order.order
                == ValidatedEvent.OrderFields(
                    orderID: "ORD-001",
                    itemID: 501,
                    itemName: "Biryani",
                    price: JSONNumber(lexeme: "299.99")!
                )
        )
        #expect(order.ad == nil)
        #expect(order.kind.topic == "raw.orders.v1")
        #expect(order.key == Array("1001".utf8))
        #expect(
            string(order.value(receivedAtMillis: receivedAt))
                == #"{"event_id":"test_001","user_id":1001,"order_id":"ORD-001","item_id":501,"item_name":"Biryani","#
                + #""price":299.99,"event_type":"order","timestamp":"2026-11-25T10:00:00.123Z","#
                + #""received_at":"2026-11-25T10:00:00.123Z"}"#
        )
    }

    @Test func clickSeedProducesTheExpectedRecord() throws {
        let click = try event(clickSeed, as: .click)
        #expect(click.eventID == "test_002")
        #expect(click.userID == 1001)
        #expect(click.ad == ValidatedEvent.AdFields(adID: "ad_123", isClick: true, adType: "banner"))
        #expect(click.order == nil)
        #expect(click.kind.topic == "raw.clicks.v1")
        #expect(click.key == Array("1001".utf8))
        #expect(
            string(click.value(receivedAtMillis: receivedAt))
                == #"{"event_id":"test_002","user_id":1001,"ad_id":"ad_123","is_click":true,"ad_type":"banner","#
                + #""event_type":"click","timestamp":"2026-11-25T10:00:00.123Z","received_at":"2026-11-25T10:00:00.123Z"}"#
        )
    }

    @Test func topicsFollowTheKind() {
        #expect(EventKind.allCases.map(\.topic) == ["raw.orders.v1", "raw.clicks.v1", "raw.clicks.v1"])
        #expect(EventKind.allCases.map(\.rawValue) == ["order", "click", "impression"])
    }

    // MARK: Impressions and is_click

    @Test func impressionWithoutIsClickIsWrittenAsFalse() throws {
        let text = body(clickMembers, setting: [("event_id", #""imp_1""#), ("is_click", nil)])
        let impression = try event(text, as: .impression)
        #expect(impression.ad?.isClick == false)
        #expect(
            string(impression.value(receivedAtMillis: receivedAt))
                == #"{"event_id":"imp_1","user_id":1001,"ad_id":"ad_123","is_click":false,"ad_type":"banner","#
                + #""event_type":"impression","timestamp":"2026-11-25T10:00:00.123Z","received_at":"2026-11-25T10:00:00.123Z"}"#
        )
        #expect(try event(body(clickMembers, setting: [("is_click", "false")]), as: .impression).ad?.isClick == false)
        #expect(try event(body(clickMembers, setting: [("is_click", "null")]), as: .impression).ad?.isClick == false)
    }

    @Test(arguments: ["true", #""false""#, "0"])
    func impressionRejectsIsClickOtherThanFalse(json: String) {
        #expect(
            issues(body(clickMembers, setting: [("is_click", json)]), as: .impression)
                == [ValidationIssue(loc: ["body", "is_click"], msg: "Input should be False", type: "literal_error")]
        )
    }

    @Test func clickRequiresABooleanIsClick() throws {
        #expect(
            issues(body(clickMembers, setting: [("is_click", nil)]), as: .click)
                == [ValidationIssue(loc: ["body", "is_click"], msg: "Field required", type: "missing")]
        )
        for json in [#""true""#, "1", "null"] {
            #expect(
                issues(body(clickMembers, setting: [("is_click", json)]), as: .click)
                    == [ValidationIssue(loc: ["body", "is_click"], msg: "Input should be a valid boolean", type: "bool_type")]
            )
        }
        #expect(try event(body(clickMembers, setting: [("is_click", "false")]), as: .click).ad?.isClick == false)
    }

    // MARK: Field rules

    /// One field set to one JSON value, and the single issue it must cause.
    struct FieldCase: Sendable, CustomTestStringConvertible {
        var kind: EventKind
        var field: String
        var json: String
        var type: String
        var msg: String
        var testDescription: String { "\(kind) \(field)=\(json.prefix(20))" }
    }

    static let fieldCases: [FieldCase] = [
        FieldCase(kind: .order, field: "event_id", json: #""""#, type: "string_too_short", msg: "String should have at least 1 character"),
        FieldCase(kind: .order, field: "event_id", json: "\"\(String(repeating: "e", count: 129))\"", type: "string_too_long", msg: "String should have at most 128 characters"),
        FieldCase(kind: .order, field: "event_id", json: "1001", type: "string_type", msg: "Input should be a valid string"),
        FieldCase(kind: .order, field: "event_id", json: "null", type: "string_type", msg: "Input should be a valid string"),
        FieldCase(kind: .order, field: "event_id", json: #"["a"]"#, type: "string_type", msg: "Input should be a valid string"),
        FieldCase(kind: .order, field: "user_id", json: #""1001""#, type: "int_type", msg: "Input should be a valid integer"),
        FieldCase(kind: .order, field: "user_id", json: "1001.5", type: "int_type", msg: "Input should be a valid integer"),
        FieldCase(kind: .order, field: "user_id", json: "1001.25", type: "int_type", msg: "Input should be a valid integer"),
        FieldCase(kind: .order, field: "user_id", json: "1.5e0", type: "int_type", msg: "Input should be a valid integer"),
        FieldCase(kind: .order, field: "user_id", json: "true", type: "int_type", msg: "Input should be a valid integer"),
        FieldCase(kind: .order, field: "user_id", json: "null", type: "int_type", msg: "Input should be a valid integer"),
        FieldCase(kind: .order, field: "user_id", json: "0", type: "greater_than_equal", msg: "Input should be greater than or equal to 1"),
        FieldCase(kind: .order, field: "user_id", json: "-5", type: "greater_than_equal", msg: "Input should be greater than or equal to 1"),
        FieldCase(kind: .order, field: "user_id", json: "-99999999999999999999", type: "greater_than_equal", msg: "Input should be greater than or equal to 1"),
        FieldCase(kind: .order, field: "user_id", json: "9223372036854775808", type: "less_than_equal", msg: "Input should be less than or equal to 9223372036854775807"),
        FieldCase(kind: .order, field: "order_id", json: #""""#, type: "string_too_short", msg: "String should have at least 1 character"),
        FieldCase(kind: .order, field: "order_id", json: "\"\(String(repeating: "o", count: 129))\"", type: "string_too_long", msg: "String should have at most 128 characters"),
        FieldCase(kind: .order, field: "order_id", json: "17", type: "string_type", msg: "Input should be a valid string"),
        FieldCase(kind: .order, field: "item_id", json: "0", type: "greater_than_equal", msg: "Input should be greater than or equal to 1"),
        FieldCase(kind: .order, field: "item_id", json: #""501""#, type: "int_type", msg: "Input should be a valid integer"),
        FieldCase(kind: .order, field: "item_name", json: #""""#, type: "string_too_short", msg: "String should have at least 1 character"),
        FieldCase(kind: .order, field: "item_name", json: "\"\(String(repeating: "n", count: 257))\"", type: "string_too_long", msg: "String should have at most 256 characters"),
        FieldCase(kind: .order, field: "item_name", json: "false", type: "string_type", msg: "Input should be a valid string"),
        FieldCase(kind: .order, field: "price", json: "0", type: "greater_than", msg: "Input should be greater than 0"),
        FieldCase(kind: .order, field: "price", json: "-0.0", type: "greater_than", msg: "Input should be greater than 0"),
        FieldCase(kind: .order, field: "price", json: "-1.5", type: "greater_than", msg: "Input should be greater than 0"),
        FieldCase(kind: .order, field: "price", json: "1e400", type: "finite_number", msg: "Input should be a finite number"),
        FieldCase(kind: .order, field: "price", json: "-1e400", type: "finite_number", msg: "Input should be a finite number"),
        FieldCase(kind: .order, field: "price", json: #""299.99""#, type: "float_type", msg: "Input should be a valid number"),
        FieldCase(kind: .order, field: "price", json: "true", type: "float_type", msg: "Input should be a valid number"),
        FieldCase(kind: .order, field: "price", json: "null", type: "float_type", msg: "Input should be a valid number"),
        FieldCase(kind: .click, field: "ad_id", json: #""""#, type: "string_too_short", msg: "String should have at least 1 character"),
        FieldCase(kind: .click, field: "ad_id", json: "\"\(String(repeating: "a", count: 129))\"", type: "string_too_long", msg: "String should have at most 128 characters"),
        FieldCase(kind: .click, field: "ad_type", json: "\"\(String(repeating: "t", count: 65))\"", type: "string_too_long", msg: "String should have at most 64 characters"),
        FieldCase(kind: .click, field: "ad_type", json: "{}", type: "string_type", msg: "Input should be a valid string"),
        FieldCase(kind: .impression, field: "user_id", json: "0", type: "greater_than_equal", msg: "Input should be greater than or equal to 1"),
        FieldCase(kind: .impression, field: "ad_type", json: #""""#, type: "string_too_short", msg: "String should have at least 1 character"),
    ]

    @Test(arguments: fieldCases)
    func rejectsAnInvalidField(_ testCase: FieldCase) {
        let members = switch testCase.kind {
        case .order: orderMembers
        case .click: clickMembers
        case .impression: impressionMembers
        }
        let text = body(members, setting: [(testCase.field, testCase.json)])
        #expect(
            issues(text, as: testCase.kind)
                == [ValidationIssue(loc: ["body", .key(testCase.field)], msg: testCase.msg, type: testCase.type)]
        )
    }

    @Test func acceptsValuesAtTheLimits() throws {
        let order = try event(
            body(orderMembers, setting: [
                ("event_id", "\"\(String(repeating: "e", count: 128))\""),
                ("user_id", "9223372036854775807"),
                ("item_id", "1"),
                ("item_name", "\"\(String(repeating: "n", count: 256))\""),
                ("price", "5e-324"),
            ]),
            as: .order
        )
        #expect(order.userID == Int64.max)
        #expect(order.order?.itemID == 1)
        #expect(order.order?.price.lexeme == "5e-324")
        let click = try event(body(clickMembers, setting: [("ad_type", "\"\(String(repeating: "t", count: 64))\"")]), as: .click)
        #expect(click.ad?.adType.count == 64)
    }

    @Test func countsStringLengthInUnicodeScalars() throws {
        // 128 "é" are 256 UTF-8 bytes but 128 scalars.
        let accented = try event(body(orderMembers, setting: [("event_id", "\"\(String(repeating: "é", count: 128))\"")]), as: .order)
        #expect(accented.eventID.unicodeScalars.count == 128)
        #expect(
            issues(body(orderMembers, setting: [("event_id", "\"\(String(repeating: "é", count: 129))\"")]), as: .order).map(\.type)
                == ["string_too_long"]
        )
        // A flag is one Character but two scalars: 32 flags fit in 64 scalars, 33 do not.
        #expect(throws: Never.self) {
            try event(body(clickMembers, setting: [("ad_type", "\"\(String(repeating: "🇮🇳", count: 32))\"")]), as: .click)
        }
        #expect(
            issues(body(clickMembers, setting: [("ad_type", "\"\(String(repeating: "🇮🇳", count: 33))\"")]), as: .click).map(\.type)
                == ["string_too_long"]
        )
    }

    @Test func keepsThePriceLexemeExactly() throws {
        for lexeme in ["299.999", "1e2", "0.1000", "12345678901234567890.123456789"] {
            let order = try event(body(orderMembers, setting: [("price", lexeme)]), as: .order)
            #expect(order.order?.price.lexeme == lexeme)
            #expect(string(order.value(receivedAtMillis: receivedAt)).contains(#""price":\#(lexeme),"#))
        }
    }

    @Test func escapesStringsInTheRecord() throws {
        let order = try event(body(orderMembers, setting: [("item_name", #""Chicken \"65\"\n\u00e9\t\u0001""#)]), as: .order)
        #expect(order.order?.itemName == "Chicken \"65\"\né\t\u{01}")
        #expect(string(order.value(receivedAtMillis: receivedAt)).contains(#""item_name":"Chicken \"65\"\né\t\u0001","#))
    }

    // MARK: Missing and unknown fields

    @Test func listsEveryMissingFieldInSchemaOrder() {
        func missing(_ field: String) -> ValidationIssue {
            ValidationIssue(loc: ["body", .key(field)], msg: "Field required", type: "missing")
        }
        #expect(issues("{}", as: .order) == ["event_id", "user_id", "order_id", "item_id", "item_name", "price"].map(missing))
        #expect(issues("{}", as: .click) == ["event_id", "user_id", "ad_id", "is_click", "ad_type"].map(missing))
        #expect(issues("{}", as: .impression) == ["event_id", "user_id", "ad_id", "ad_type"].map(missing))
    }

    @Test func rejectsUnknownFields() {
        let extra = { (field: String) in
            ValidationIssue(loc: ["body", .key(field)], msg: "Extra inputs are not permitted", type: "extra_forbidden")
        }
        #expect(issues(body(orderMembers, setting: [("coupon", #""SAVE10""#)]), as: .order) == [extra("coupon")])
        // Another kind's fields are unknown too.
        #expect(issues(body(clickMembers, setting: [("price", "1"), ("item_id", "2")]), as: .click) == [extra("price"), extra("item_id")])
        #expect(issues(body(orderMembers, setting: [("is_click", "false")]), as: .order) == [extra("is_click")])
        #expect(issues(body(orderMembers, setting: [("Event_ID", #""x""#)]), as: .order) == [extra("Event_ID")])
    }

    @Test func listsEveryInvalidFieldAtOnce() {
        let text = #"{"zzz":1,"event_id":"","user_id":"1001","order_id":"ORD-1","item_id":1001.5,"price":0,"timestamp":"2026-02-30T10:00:00Z","extra":null}"#
        #expect(
            issues(text, as: .order) == [
                ValidationIssue(loc: ["body", "event_id"], msg: "String should have at least 1 character", type: "string_too_short"),
                ValidationIssue(loc: ["body", "user_id"], msg: "Input should be a valid integer", type: "int_type"),
                ValidationIssue(loc: ["body", "item_id"], msg: "Input should be a valid integer", type: "int_type"),
                ValidationIssue(loc: ["body", "item_name"], msg: "Field required", type: "missing"),
                ValidationIssue(loc: ["body", "price"], msg: "Input should be greater than 0", type: "greater_than"),
                ValidationIssue(
                    loc: ["body", "timestamp"],
                    msg: "Value error, invalid RFC 3339 timestamp: day out of range for the month",
                    type: "value_error"
                ),
                ValidationIssue(loc: ["body", "zzz"], msg: "Extra inputs are not permitted", type: "extra_forbidden"),
                ValidationIssue(loc: ["body", "extra"], msg: "Extra inputs are not permitted", type: "extra_forbidden"),
            ]
        )
    }

    // MARK: Body shape

    @Test(arguments: ["[]", #"[{"event_id":"a"}]"#, #""order""#, "42", "null", "true"])
    func rejectsABodyThatIsNotAnObject(text: String) {
        #expect(
            issues(text, as: .order) == [
                ValidationIssue(
                    loc: ["body"],
                    msg: "Input should be a valid dictionary or object to extract fields from",
                    type: "model_attributes_type"
                )
            ]
        )
    }

    @Test func reportsAnEmptyBodyAsMissing() {
        #expect(issues("", as: .click) == [ValidationIssue(loc: ["body"], msg: "Field required", type: "missing")])
    }

    @Test func reportsMalformedJSONWithItsOffset() {
        let truncated = String(orderSeed.dropLast())
        #expect(
            decode(truncated, as: .order)
                == .failure(.malformed(JSONParseError(byteOffset: truncated.utf8.count, message: "unexpected end of input")))
        )
        let duplicated = #"{"event_id":"a","event_id":"b"}"#
        let error = EventDecodingError.malformed(JSONParseError(byteOffset: 16, message: "duplicate key \"event_id\""))
        #expect(decode(duplicated, as: .order) == .failure(error))
        #expect(
            error.issues == [ValidationIssue(loc: ["body", 16], msg: "JSON decode error: duplicate key \"event_id\"", type: "json_invalid")]
        )
        #expect(decode("{\"event_id\":\"\u{7}\"}", as: .order) == .failure(.malformed(JSONParseError(byteOffset: 13, message: "unescaped control byte 0x07 in string"))))
    }

    @Test func acceptsAnyWhitespaceAndMemberOrder() throws {
        let text = "\n{ \"price\" : 299.99 ,\t\"item_name\":\"Biryani\",\"item_id\":501,\"order_id\":\"ORD-001\",\"user_id\":1001,\"event_id\":\"test_001\"}\r\n"
        #expect(try event(text, as: .order) == event(orderSeed, as: .order))
    }

    @Test func prefixesEveryLocationForBatchItems() throws {
        let item = try JSONParser.parse(Array(body(orderMembers, setting: [("price", "-1"), ("user_id", nil)]).utf8))
        let result = EventDecoder.validate(item, as: .order, location: ["body", 3])
        #expect(
            result == .failure(
                ValidationFailure([
                    ValidationIssue(loc: ["body", 3, "user_id"], msg: "Field required", type: "missing"),
                    ValidationIssue(loc: ["body", 3, "price"], msg: "Input should be greater than 0", type: "greater_than"),
                ])
            )
        )
        var all: [ValidationIssue] = []
        if case .failure(let failure) = result {
            all.append(contentsOf: failure)
        }
        #expect(all.count == 2)
        #expect(
            EventDecoder.validate(.array([]), as: .click, location: ["body", 0]) == .failure(
                ValidationFailure([
                    ValidationIssue(
                        loc: ["body", 0],
                        msg: "Input should be a valid dictionary or object to extract fields from",
                        type: "model_attributes_type"
                    )
                ])
            )
        )
    }

    // MARK: Timestamps

    @Test func normalisesClientTimestampsToUTCMilliseconds() throws {
        let cases: [(json: String, millis: Int64, text: String)] = [
            (#""2026-11-25T10:00:00Z""#, 1_795_600_800_000, "2026-11-25T10:00:00.000Z"),
            (#""2026-11-25T15:30:00.123+05:30""#, 1_795_600_800_123, "2026-11-25T10:00:00.123Z"),
            (#""2026-11-25T02:00:00.9999-08:00""#, 1_795_600_800_999, "2026-11-25T10:00:00.999Z"),
            ("1795600800000", 1_795_600_800_000, "2026-11-25T10:00:00.000Z"),
            ("0", 0, "1970-01-01T00:00:00.000Z"),
            ("253402300799999", 253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
        ]
        for (json, millis, text) in cases {
            let order = try event(body(orderMembers, setting: [("timestamp", json)]), as: .order)
            #expect(order.clientTimestampMillis == millis)
            #expect(
                string(order.value(receivedAtMillis: receivedAt)).hasSuffix(
                    #""timestamp":"\#(text)","received_at":"2026-11-25T10:00:00.123Z"}"#
                )
            )
        }
        #expect(try event(body(clickMembers, setting: [("timestamp", "null")]), as: .click).clientTimestampMillis == nil)
    }

    @Test(arguments: [
        (#""2026-02-30T10:00:00Z""#, "Value error, invalid RFC 3339 timestamp: day out of range for the month"),
        (#""2026-11-25T24:00:00Z""#, "Value error, invalid RFC 3339 timestamp: hour out of range"),
        (#""2026-11-25T10:00:00""#, "Value error, invalid RFC 3339 timestamp: missing UTC offset ('Z' or ±HH:MM)"),
        (#""2026-11-25 10:00:00Z""#, "Value error, invalid RFC 3339 timestamp: expected 'T' between date and time"),
        (#""2026-11-25""#, "Value error, invalid RFC 3339 timestamp: expected 'T' between date and time"),
        (#""yesterday""#, "Value error, invalid RFC 3339 timestamp: expected a four-digit year"),
        (#""""#, "Value error, invalid RFC 3339 timestamp: expected a four-digit year"),
        (#""1969-12-31T23:59:59Z""#, "Value error, timestamp must be between 1970-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z"),
        ("-1", "Value error, timestamp must be between 1970-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z"),
        ("253402300800000", "Value error, timestamp must be between 1970-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z"),
        ("99999999999999999999", "Value error, timestamp must be between 1970-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z"),
        ("1795600800000.5", "Value error, timestamp must be an RFC 3339 string or integer epoch milliseconds"),
        ("1.79560085e3", "Value error, timestamp must be an RFC 3339 string or integer epoch milliseconds"),
        ("true", "Value error, timestamp must be an RFC 3339 string or integer epoch milliseconds"),
        (#"{"ms":1}"#, "Value error, timestamp must be an RFC 3339 string or integer epoch milliseconds"),
    ])
    func rejectsAnInvalidTimestamp(json: String, msg: String) {
        #expect(
            issues(body(clickMembers, setting: [("timestamp", json)]), as: .click)
                == [ValidationIssue(loc: ["body", "timestamp"], msg: msg, type: "value_error")]
        )
    }

    // MARK: Fingerprints

    @Test func fingerprintIgnoresFormattingButNotContent() throws {
        let withOffset = try event(body(orderMembers, setting: [("timestamp", #""2026-11-25T15:30:00.123+05:30""#)]), as: .order)
        let inUTC = try event(
            #"{ "timestamp":"2026-11-25T10:00:00.123Z","price":299.99,"item_name":"Biry\u0061ni","item_id":501,"order_id":"ORD-001","user_id":1001,"event_id":"test_001"}"#,
            as: .order
        )
        #expect(withOffset.fingerprint == inUTC.fingerprint)
        #expect(
            string(withOffset.fingerprint)
                == #"{"event_id":"test_001","user_id":1001,"order_id":"ORD-001","item_id":501,"item_name":"Biryani","price":299.99,"#
                + #""event_type":"order","timestamp":"2026-11-25T10:00:00.123Z"}"#
        )

        let seed = try event(orderSeed, as: .order)
        #expect(string(seed.fingerprint).hasSuffix(#""timestamp":null}"#))
        #expect(seed.fingerprint != withOffset.fingerprint)
        #expect(seed.fingerprint != (try event(body(orderMembers, setting: [("price", "300")]), as: .order)).fingerprint)
        #expect(seed.fingerprint != (try event(body(orderMembers, setting: [("price", "299.990")]), as: .order)).fingerprint)
        #expect(seed.fingerprint != (try event(body(orderMembers, setting: [("user_id", "1002")]), as: .order)).fingerprint)
    }

    @Test func fingerprintTreatsAbsentIsClickAsFalseForImpressions() throws {
        let absent = try event(body(clickMembers, setting: [("is_click", nil)]), as: .impression)
        let explicit = try event(body(clickMembers, setting: [("is_click", "false")]), as: .impression)
        #expect(absent.fingerprint == explicit.fingerprint)
        let click = try event(body(clickMembers, setting: [("is_click", "false")]), as: .click)
        #expect(click.fingerprint != explicit.fingerprint)
    }

    // MARK: FastAPI body

    @Test func rendersTheFastAPIErrorBody() {
        let issues = [
            ValidationIssue(loc: ["body", "price"], msg: "Input should be greater than 0", type: "greater_than"),
            ValidationIssue(loc: ["body", 2, "a\"b"], msg: "Field \"required\"", type: "missing"),
        ]
        #expect(
            string(issues.fastAPIBody)
                == #"{"detail":[{"loc":["body","price"],"msg":"Input should be greater than 0","type":"greater_than"},"#
                + #"{"loc":["body",2,"a\"b"],"msg":"Field \"required\"","type":"missing"}]}"#
        )
        #expect(ValidationFailure(issues).fastAPIBody == issues.fastAPIBody)
        #expect(string([ValidationIssue]().fastAPIBody) == #"{"detail":[]}"#)
    }

    @Test func fastAPIBodyIsValidJSON() throws {
        let all = issues(#"{"event_id":"","bad\u0001key":1}"#, as: .order)
        let parsed = try JSONParser.parse(all.fastAPIBody)
        guard case .object(let object) = parsed, case .array(let detail)? = object["detail"] else {
            Issue.record("unexpected shape: \(parsed)")
            return
        }
        #expect(detail.count == all.count)
    }
}

@Suite("Integral numbers")
struct IntegralNumberTests {
    @Test("an integral number written with a fraction or exponent is an integer, stored in integer form")
    func integralFloatsAreIntegers() throws {
        let body = #"{"event_id":"e","user_id":1001.0,"order_id":"o","item_id":5.01e2,"item_name":"x","price":1,"timestamp":1749970800000.0}"#
        let event = try EventDecoder.decode(Array(body.utf8), as: .order).get()
        #expect(event.userID == 1001)
        #expect(event.order?.itemID == 501)
        #expect(event.clientTimestampMillis == 1_749_970_800_000)
        let value = String(decoding: event.value(receivedAtMillis: 0), as: UTF8.self)
        #expect(value.contains(#""user_id":1001,"#))
        #expect(value.contains(#""item_id":501,"#))
    }
}
