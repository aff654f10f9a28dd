import FlowGuardJSON

/// Why a request body did not yield a ``ValidatedEvent``.
public enum EventDecodingError: Error, Sendable, Equatable {
    /// The body is not strictly valid JSON.
    case malformed(JSONParseError)
    /// The body is JSON but breaks the event's field rules; every problem is listed.
    case invalid([ValidationIssue])

    /// The error as FastAPI would list it: a malformed body becomes one `json_invalid` issue located
    /// at `["body", byteOffset]`.
    public var issues: [ValidationIssue] {
        switch self {
        case .malformed(let error):
            [ValidationIssue(loc: ["body", .index(error.byteOffset)], msg: "JSON decode error: \(error.message)", type: "json_invalid")]
        case .invalid(let issues):
            issues
        }
    }
}
