/// One reason a request body was rejected, shaped like an item of FastAPI's 422 `detail` list.
public struct ValidationIssue: Sendable, Equatable {
    /// One step of the path to the offending input: an object key or an array index.
    public enum Location: Sendable, Equatable {
        /// A member of an object, such as `price`.
        case key(String)
        /// An element of an array, or a byte offset for a JSON decode error.
        case index(Int)
    }

    /// The path to the offending input, starting at `body`.
    public var loc: [Location]
    /// A human message, worded as pydantic v2 words it (`Field required`).
    public var msg: String
    /// A machine-readable pydantic v2 error type (`missing`, `string_too_long`, ...).
    public var type: String

    /// Creates an issue.
    /// - Parameters:
    ///   - loc: The path to the offending input.
    ///   - msg: A human message.
    ///   - type: A pydantic v2 error type.
    public init(loc: [Location], msg: String, type: String) {
        self.loc = loc
        self.msg = msg
        self.type = type
    }
}

extension ValidationIssue.Location: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    /// Creates a key location from a string literal, so that a path reads `["body", "price"]`.
    public init(stringLiteral value: String) {
        self = .key(value)
    }

    /// Creates an index location from an integer literal, so that a path reads `["body", 3]`.
    public init(integerLiteral value: Int) {
        self = .index(value)
    }
}
