import FlowGuardJSON
import FlowGuardSupport

/// Checks the fields of an event body against their ``EventField/Rule`` and collects a pydantic v2
/// style issue for each failure, worded as pydantic words it (FastAPI clients match on the text).
struct EventFieldChecker {
    /// Prefixed to every issue's `loc`.
    let location: [ValidationIssue.Location]
    /// The issues found so far, in the order they were found.
    private(set) var issues: [ValidationIssue] = []

    init(location: [ValidationIssue.Location]) {
        self.location = location
    }

    /// The field's value if it passes the rule. Nil when it does not (after recording why), or when
    /// an optional field is absent or null.
    mutating func check(_ value: JSONValue?, against field: EventField) -> EventFieldValue? {
        let name = field.name
        guard let value, value != .null || field.isRequired else {
            return field.isRequired ? report(name, "Field required", "missing") : nil
        }
        switch field.rule {
        case .string(let minLength, let maxLength):
            guard case .string(let string) = value else {
                return report(name, "Input should be a valid string", "string_type")
            }
            switch EventField.Rule.length(of: string, minLength: minLength, maxLength: maxLength) {
            case .fits: return .string(string)
            case .tooShort: return report(name, "String should have at least \(Self.characters(minLength))", "string_too_short")
            case .tooLong: return report(name, "String should have at most \(Self.characters(maxLength))", "string_too_long")
            }
        case .integer(let minimum):
            return integer(value, name, minimum: minimum).map(EventFieldValue.integer)
        case .number(let exclusiveMinimum):
            return number(value, name, exclusiveMinimum: exclusiveMinimum).map(EventFieldValue.number)
        case .boolean:
            guard case .bool(let flag) = value else {
                return report(name, "Input should be a valid boolean", "bool_type")
            }
            return .boolean(flag)
        case .falseOnly:
            guard value == .bool(false) else {
                return report(name, "Input should be False", "literal_error")
            }
            return .boolean(false)
        case .timestamp(let range):
            return timestamp(value, name, range: range).map(EventFieldValue.timestamp)
        }
    }

    /// Records a member that the event does not declare.
    mutating func reportUnknown(_ name: String) {
        record(name, "Extra inputs are not permitted", "extra_forbidden")
    }

    /// A JSON integer of at least `minimum` that fits in `Int64`.
    private mutating func integer(_ value: JSONValue, _ name: String, minimum: Int64) -> Int64? {
        guard case .number(let number) = value, number.isInteger || number.integralValue != nil || !number.double.isFinite else {
            return report(name, "Input should be a valid integer", "int_type")
        }
        guard let integer = number.integralValue else {
            if number.lexeme.utf8.first == UInt8(ascii: "-") {
                return report(name, "Input should be greater than or equal to \(minimum)", "greater_than_equal")
            }
            return report(name, "Input should be less than or equal to \(Int64.max)", "less_than_equal")
        }
        guard integer >= minimum else {
            return report(name, "Input should be greater than or equal to \(minimum)", "greater_than_equal")
        }
        return integer
    }

    /// A finite JSON number greater than `exclusiveMinimum`.
    private mutating func number(_ value: JSONValue, _ name: String, exclusiveMinimum: Int64) -> JSONNumber? {
        guard case .number(let number) = value else {
            return report(name, "Input should be a valid number", "float_type")
        }
        let double = number.double
        guard double.isFinite else {
            return report(name, "Input should be a finite number", "finite_number")
        }
        guard double > Double(exclusiveMinimum) else {
            return report(name, "Input should be greater than \(exclusiveMinimum)", "greater_than")
        }
        return number
    }

    /// An RFC 3339 string with offset, or integer epoch milliseconds, within `range`.
    private mutating func timestamp(_ value: JSONValue, _ name: String, range: ClosedRange<Int64>) -> Int64? {
        let millis: Int64
        switch value {
        case .string(let text):
            do {
                millis = try RFC3339.parse(text)
            } catch {
                return report(name, "Value error, invalid RFC 3339 timestamp: \(error.reason)", "value_error")
            }
        case .number(let number) where number.isInteger || number.integralValue != nil:
            guard let integer = number.integralValue else { return reportOutside(range, name) }
            millis = integer
        default:
            return report(name, "Value error, \(name) must be an RFC 3339 string or integer epoch milliseconds", "value_error")
        }
        guard range.contains(millis) else { return reportOutside(range, name) }
        return millis
    }

    private mutating func reportOutside(_ range: ClosedRange<Int64>, _ name: String) -> Int64? {
        let bounds = "\(RFC3339.format(millis: range.lowerBound)) and \(RFC3339.format(millis: range.upperBound))"
        return report(name, "Value error, \(name) must be between \(bounds)", "value_error")
    }

    /// `1 character`, `128 characters`: pydantic's wording of a length limit.
    private static func characters(_ count: Int) -> String {
        count == 1 ? "1 character" : "\(count) characters"
    }

    private mutating func report<Value>(_ name: String, _ msg: String, _ type: String) -> Value? {
        record(name, msg, type)
        return nil
    }

    private mutating func record(_ name: String, _ msg: String, _ type: String) {
        issues.append(ValidationIssue(loc: location + [.key(name)], msg: msg, type: type))
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
