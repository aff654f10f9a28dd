/// A JSON number kept exactly as written, so that `299.999` is forwarded as `299.999`.
///
/// Two numbers are equal when their lexemes are equal: `1.0` and `1` are different numbers here.
public struct JSONNumber: Sendable, Equatable, CustomStringConvertible {
    /// The number as written in the JSON text, for example `-12`, `299.99` or `1e400`.
    public let lexeme: String
    /// Whether the lexeme has neither a fraction nor an exponent.
    public let isInteger: Bool
    /// The value as an integer; nil unless ``isInteger`` and the value fits in `Int64`.
    public let int64: Int64?

    /// Creates a number from a lexeme that the caller has already checked against the JSON grammar.
    package init(validatedLexeme lexeme: String, isInteger: Bool, int64: Int64?) {
        self.lexeme = lexeme
        self.isInteger = isInteger
        self.int64 = int64
    }

    /// Creates a number from its JSON lexeme.
    /// - Parameter lexeme: Text such as `42`, `-0.5` or `6.02e23`; nil unless it is exactly one JSON number.
    public init?(lexeme: String) {
        var text = lexeme
        let parsed: JSONNumber? = text.withUTF8 { utf8 in
            var scanner = JSONScanner(input: UnsafeRawBufferPointer(utf8), maxDepth: 0)
            guard !utf8.isEmpty, let number = try? scanner.parseNumber(), scanner.offset == utf8.count else {
                return nil
            }
            return number
        }
        guard let parsed else { return nil }
        self = parsed
    }

    /// Creates an integer number.
    /// - Parameter value: The integer.
    public init(_ value: Int64) {
        self.init(validatedLexeme: String(value), isInteger: true, int64: value)
    }

    /// Creates a number from a finite double, written in Swift's shortest round-tripping form.
    /// - Parameter value: The value; nil when it is infinite or NaN, which JSON cannot represent.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        self.init(lexeme: "\(value)")
    }

    /// The value as an integer when it is integral, however it is written: `1001`, `1001.0` and
    /// `1.001e3` all give 1001 (JSON Schema calls each of them an integer). Nil for `1001.5`, or
    /// beyond ±2^53 when written with a fraction or exponent (a double cannot hold it exactly).
    public var integralValue: Int64? {
        if isInteger { return int64 }
        let value = double
        guard value.isFinite, value == value.rounded(), abs(value) <= 9_007_199_254_740_992 else { return nil }
        return Int64(value)
    }

    /// The value as a double; ±infinity when the magnitude is too large (`1e400`), ±0 when too small.
    public var double: Double {
        // The lexeme always follows the JSON number grammar, a subset of what `Double(_:)` accepts.
        Double(lexeme) ?? .nan
    }

    public var description: String { lexeme }

    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        lhs.lexeme == rhs.lexeme
    }
}
