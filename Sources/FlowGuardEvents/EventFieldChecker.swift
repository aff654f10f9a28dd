import FlowGuardJSON
import FlowGuardSupport

/// Checks single fields of an event body and collects a pydantic v2 style issue for each failure.
///
/// Each check returns the validated value, or nil after recording why there is none.
struct EventFieldChecker {
    /// Prefixed to every issue's `loc`.
    let location: [ValidationIssue.Location]
    /// The issues found so far, in the order they were found.
    private(set) var issues: [ValidationIssue] = []

    init(location: [ValidationIssue.Location]) {
        self.location = location
    }

    /// A required string of 1...`maxLength` Unicode scalars.
    mutating func string(_ value: JSONValue?, _ name: String, maxLength: Int) -> String? {
        guard let value else { return missing(name) }
        guard case .string(let string) = value else {
            return report(name, "Input should be a valid string", "string_type")
        }
        guard !string.isEmpty else {
            return report(name, "String should have at least 1 character", "string_too_short")
        }
        // A string never has more scalars than UTF-8 bytes, so only long ones need counting.
        if string.utf8.count > maxLength, string.unicodeScalars.count > maxLength {
            return report(name, "String should have at most \(maxLength) characters", "string_too_long")
        }
        return string
    }

    /// A required JSON integer of at least 1 that fits in `Int64`.
    mutating func positiveInteger(_ value: JSONValue?, _ name: String) -> Int64? {
        guard let value else { return missing(name) }
        guard case .number(let number) = value, number.isInteger || number.integralValue != nil || !number.double.isFinite else {
            return report(name, "Input should be a valid integer", "int_type")
        }
        guard let integer = number.integralValue else {
            if number.lexeme.utf8.first == UInt8(ascii: "-") {
                return report(name, "Input should be greater than or equal to 1", "greater_than_equal")
            }
            return report(name, "Input should be less than or equal to \(Int64.max)", "less_than_equal")
        }
        guard integer >= 1 else {
            return report(name, "Input should be greater than or equal to 1", "greater_than_equal")
        }
        return integer
    }

    /// A required JSON number, finite and greater than 0.
    mutating func price(_ value: JSONValue?, _ name: String) -> JSONNumber? {
        guard let value else { return missing(name) }
        guard case .number(let number) = value else {
            return report(name, "Input should be a valid number", "float_type")
        }
        let double = number.double
        guard double.isFinite else {
            return report(name, "Input should be a finite number", "finite_number")
        }
        guard double > 0 else {
            return report(name, "Input should be greater than 0", "greater_than")
        }
        return number
    }

    /// A required JSON boolean.
    mutating func boolean(_ value: JSONValue?, _ name: String) -> Bool? {
        guard let value else { return missing(name) }
        guard case .bool(let flag) = value else {
            return report(name, "Input should be a valid boolean", "bool_type")
        }
        return flag
    }

    /// An optional field that may only be `false`; absent and null count as `false`.
    mutating func optionalFalse(_ value: JSONValue?, _ name: String) -> Bool? {
        switch value {
        case nil, .null?, .bool(false)?:
            return false
        default:
            return report(name, "Input should be False", "literal_error")
        }
    }

    /// An optional timestamp: an RFC 3339 string with offset, or integer epoch milliseconds, from
    /// 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z. Returns nil when absent, null or invalid.
    mutating func optionalTimestamp(_ value: JSONValue?, _ name: String) -> Int64? {
        let millis: Int64
        switch value {
        case nil, .null?:
            return nil
        case .string(let text)?:
            do {
                millis = try RFC3339.parse(text)
            } catch {
                return report(name, "Value error, invalid RFC 3339 timestamp: \(error.reason)", "value_error")
            }
        case .number(let number)? where number.isInteger || number.integralValue != nil:
            guard let integer = number.integralValue else { return reportTimestampRange(name) }
            millis = integer
        default:
            return report(
                name,
                "Value error, timestamp must be an RFC 3339 string or integer epoch milliseconds",
                "value_error"
            )
        }
        guard (0...RFC3339.maxMillis).contains(millis) else { return reportTimestampRange(name) }
        return millis
    }

    /// Records a member that the event does not declare.
    mutating func reportUnknown(_ name: String) {
        record(name, "Extra inputs are not permitted", "extra_forbidden")
    }

    private mutating func reportTimestampRange(_ name: String) -> Int64? {
        report(
            name,
            "Value error, timestamp must be between 1970-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z",
            "value_error"
        )
    }

    private mutating func missing<Value>(_ name: String) -> Value? {
        report(name, "Field required", "missing")
    }

    private mutating func report<Value>(_ name: String, _ msg: String, _ type: String) -> Value? {
        record(name, msg, type)
        return nil
    }

    private mutating func record(_ name: String, _ msg: String, _ type: String) {
        issues.append(ValidationIssue(loc: location + [.key(name)], msg: msg, type: type))
    }
}
