/// Literals for JSON values, so that a document written in Swift reads like the JSON it makes:
/// `["type": "integer", "minimum": 0]`. Object literals keep their members in the order written.
/// There is no `nil` literal: `.null` says it, and an optional `JSONValue` stays unambiguous.
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// A string.
    public init(stringLiteral value: String) {
        self = .string(value)
    }

    /// An integer.
    public init(integerLiteral value: Int64) {
        self = .number(JSONNumber(value))
    }

    /// A float literal, written in Swift's shortest round-tripping form (`299.99`, `31.0`).
    public init(floatLiteral value: Double) {
        // A literal is always finite.
        self = .number(JSONNumber(value)!)
    }

    /// `true` or `false`.
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }

    /// An array.
    public init(arrayLiteral elements: JSONValue...) {
        self = .array(elements)
    }

    /// An object with the members in the order written.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { (key: $0.0, value: $0.1) }))
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// The members in the order written.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.map { (key: $0.0, value: $0.1) })
    }
}
