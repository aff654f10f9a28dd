import FlowGuardJSON
import FlowGuardSupport

/// What checking one member against its field's rule gives.
enum EventFieldCheck {
    /// The value passed.
    case value(EventFieldValue)
    /// An optional field is absent or null.
    case absent
    /// The value failed: pydantic v2's message and error type (FastAPI clients match on the text).
    case issue(msg: String, type: String)
}

/// Checks the members of an event body against their field's ``EventField/Rule``, worded as
/// pydantic v2 words each failure.
enum EventFieldChecker {
    /// Checks the member given for a field, or its absence (nil).
    static func check(_ value: JSONValue?, against rule: EventField.Rule, required isRequired: Bool, name: String) -> EventFieldCheck {
        guard let value, value != .null || isRequired else {
            return isRequired ? .issue(msg: "Field required", type: "missing") : .absent
        }
        switch rule {
        case .string(let minLength, let maxLength):
            guard case .string(let string) = value else {
                return .issue(msg: "Input should be a valid string", type: "string_type")
            }
            switch EventField.Rule.length(of: string, minLength: minLength, maxLength: maxLength) {
            case .fits: return .value(.string(string))
            case .tooShort: return .issue(msg: "String should have at least \(characters(minLength))", type: "string_too_short")
            case .tooLong: return .issue(msg: "String should have at most \(characters(maxLength))", type: "string_too_long")
            }
        case .integer(let minimum):
            return integer(value, minimum: minimum)
        case .number(let exclusiveMinimum):
            return number(value, exclusiveMinimum: exclusiveMinimum)
        case .boolean:
            guard case .bool(let flag) = value else {
                return .issue(msg: "Input should be a valid boolean", type: "bool_type")
            }
            return .value(.boolean(flag))
        case .falseOnly:
            guard value == .bool(false) else {
                return .issue(msg: "Input should be False", type: "literal_error")
            }
            return .value(.boolean(false))
        case .timestamp(let range):
            return timestamp(value, name, range: range)
        }
    }

    /// A JSON integer of at least `minimum` that fits in `Int64`.
    private static func integer(_ value: JSONValue, minimum: Int64) -> EventFieldCheck {
        guard case .number(let number) = value, number.isInteger || number.integralValue != nil || !number.double.isFinite else {
            return .issue(msg: "Input should be a valid integer", type: "int_type")
        }
        guard let integer = number.integralValue else {
            if number.lexeme.utf8.first == UInt8(ascii: "-") {
                return .issue(msg: "Input should be greater than or equal to \(minimum)", type: "greater_than_equal")
            }
            return .issue(msg: "Input should be less than or equal to \(Int64.max)", type: "less_than_equal")
        }
        guard integer >= minimum else {
            return .issue(msg: "Input should be greater than or equal to \(minimum)", type: "greater_than_equal")
        }
        return .value(.integer(integer))
    }

    /// A finite JSON number greater than `exclusiveMinimum`.
    private static func number(_ value: JSONValue, exclusiveMinimum: Int64) -> EventFieldCheck {
        guard case .number(let number) = value else {
            return .issue(msg: "Input should be a valid number", type: "float_type")
        }
        let double = number.double
        guard double.isFinite else {
            return .issue(msg: "Input should be a finite number", type: "finite_number")
        }
        guard double > Double(exclusiveMinimum) else {
            return .issue(msg: "Input should be greater than \(exclusiveMinimum)", type: "greater_than")
        }
        return .value(.number(number))
    }

    /// An RFC 3339 string with offset, or integer epoch milliseconds, within `range`.
    private static func timestamp(_ value: JSONValue, _ name: String, range: ClosedRange<Int64>) -> EventFieldCheck {
        let millis: Int64
        switch value {
        case .string(let text):
            do {
                millis = try RFC3339.parse(text)
            } catch {
                return .issue(msg: "Value error, invalid RFC 3339 timestamp: \(error.reason)", type: "value_error")
            }
        case .number(let number) where number.isInteger || number.integralValue != nil:
            guard let integer = number.integralValue else { return outside(range, name) }
            millis = integer
        default:
            return .issue(msg: "Value error, \(name) must be an RFC 3339 string or integer epoch milliseconds", type: "value_error")
        }
        guard range.contains(millis) else { return outside(range, name) }
        return .value(.timestamp(millis))
    }

    private static func outside(_ range: ClosedRange<Int64>, _ name: String) -> EventFieldCheck {
        let bounds = "\(RFC3339.format(millis: range.lowerBound)) and \(RFC3339.format(millis: range.upperBound))"
        return .issue(msg: "Value error, \(name) must be between \(bounds)", type: "value_error")
    }

    /// `1 character`, `128 characters`: pydantic's wording of a length limit.
    private static func characters(_ count: Int) -> String {
        count == 1 ? "1 character" : "\(count) characters"
    }
}

extension EventField.Rule {
    /// How a string's length in Unicode scalars compares with a ``string(minLength:maxLength:)`` rule.
    enum StringLength {
        case fits, tooShort, tooLong
    }

    /// Measures `string` against `minLength...maxLength` Unicode scalars, counting them only when
    /// the UTF-8 length leaves the answer open: a string never has more scalars than bytes.
    static func length(of string: String, minLength: Int, maxLength: Int) -> StringLength {
        let bytes = string.utf8.count
        if bytes < minLength { return .tooShort }
        if bytes <= maxLength, minLength <= 1 { return .fits }
        let scalars = string.unicodeScalars.count
        return scalars < minLength ? .tooShort : scalars > maxLength ? .tooLong : .fits
    }
}
