import FlowGuardKafka

/// What happened to one valid event.
enum SubmissionOutcome: Sendable {
    /// Kafka acknowledged it (202).
    case accepted(DeliveryReport)
    /// A retry of an event already stored (200, `X-Duplicate: true`).
    case duplicate(DeliveryReport)
    /// Its id was already accepted with different content (409).
    case conflict
    /// Not stored; try again later (503 with `Retry-After`).
    case unavailable(reason: String, retryAfter: Int)
    /// Kafka did not acknowledge it in time; it may or may not be stored (504).
    case timedOut(reason: String)

    /// The HTTP status of this outcome.
    var status: Int {
        switch self {
        case .accepted: return 202
        case .duplicate: return 200
        case .conflict: return 409
        case .unavailable: return 503
        case .timedOut: return 504
        }
    }
}
