import FlowGuardJSON

/// One field of an event body: its JSON name, the rule its value must pass, whether it is required,
/// examples and a description. ``EventSchema`` lists them per kind; the decoders, the Kafka value,
/// the validation messages and the OpenAPI document are all read from those lists.
public struct EventField: Sendable {
    /// The JSON type of a field's value and the limits it must stay within.
    public enum Rule: Sendable, Equatable {
        /// A string of `minLength...maxLength` Unicode scalars (Python's `len`, not bytes or graphemes).
        case string(minLength: Int, maxLength: Int)
        /// An integer from `minimum` to `Int64.max`. A number written with a fraction or exponent
        /// counts when it is integral (`1001.0`), as JSON Schema says.
        case integer(minimum: Int64)
        /// A finite number greater than `exclusiveMinimum`, kept exactly as the client wrote it.
        case number(exclusiveMinimum: Int64)
        /// `true` or `false`.
        case boolean
        /// Only `false`: a field one kind shares with another, fixed for this one (an impression's `is_click`).
        case falseOnly
        /// An RFC 3339 date-time with an offset, or integer epoch milliseconds, within `range` (epoch milliseconds).
        case timestamp(range: ClosedRange<Int64>)
    }

    /// Where a field's value goes in a ``ValidatedEvent``.
    enum Slot: Sendable {
        case eventID, userID, orderID, itemID, itemName, price, adID, isClick, adType, timestamp
    }

    /// A value that passes the field's rule, for the OpenAPI document and the tests.
    public struct Example: Sendable {
        /// The JSON value.
        public let value: JSONValue
        /// The name of the request example that shows this value; empty for the value the
        /// smallest example uses (the first example of a required field).
        public let name: String
        /// One line on what the example shows.
        public let summary: String

        init(_ value: JSONValue, name: String = "", summary: String = "") {
            self.value = value
            self.name = name
            self.summary = summary
        }
    }

    /// The member name in the JSON body and in the Kafka value.
    public let name: String
    let slot: Slot
    /// The rule the value must pass.
    public let rule: Rule
    /// Whether the body must have the field. An optional field may also be `null`, which counts as absent.
    public let isRequired: Bool
    /// What a client reads about the field.
    public let description: String
    /// Values that pass ``rule``; a required field's first one is in every request example.
    public let examples: [Example]
    /// A regular expression (JSON Schema `pattern`) that the string form of the value matches, for
    /// clients that check before they send; ``rule`` is what the gateway holds the value to.
    public let pattern: String?

    init(
        _ name: String, _ slot: Slot, _ rule: Rule, required isRequired: Bool = true,
        examples: [Example], pattern: String? = nil, _ description: String
    ) {
        self.name = name
        self.slot = slot
        self.rule = rule
        self.isRequired = isRequired
        self.description = description
        self.examples = examples
        self.pattern = pattern
    }

    /// The field with another first example, for a kind that shows its own value.
    func example(_ value: JSONValue) -> EventField {
        EventField(name, slot, rule, required: isRequired, examples: [Example(value)] + examples.dropFirst(), pattern: pattern, description)
    }

    /// The field under another rule, for a kind that holds a shared field to less.
    func narrowed(to rule: Rule, required isRequired: Bool, examples: [Example], _ description: String) -> EventField {
        EventField(name, slot, rule, required: isRequired, examples: examples, pattern: pattern, description)
    }

    /// The field with another description, for a kind whose field means something narrower.
    func described(_ description: String) -> EventField {
        EventField(name, slot, rule, required: isRequired, examples: examples, pattern: pattern, description)
    }
}
