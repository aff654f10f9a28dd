/// The kinds of event the gateway accepts; the raw value is the `event_type` written to Kafka.
public enum EventKind: String, Sendable, CaseIterable {
    /// A placed order, sent to `raw.orders.v1`.
    case order
    /// An ad click, sent to `raw.clicks.v1`.
    case click
    /// An ad impression, sent to `raw.clicks.v1` alongside clicks.
    case impression

    /// The Kafka topic that receives events of this kind.
    public var topic: String {
        switch self {
        case .order: "raw.orders.v1"
        case .click, .impression: "raw.clicks.v1"
        }
    }

    /// The path that takes one event of this kind; `path + "/batch"` takes many.
    public var path: String {
        switch self {
        case .order: "/api/v1/orders"
        case .click: "/api/v1/clicks"
        case .impression: "/api/v1/clicks/impression"
        }
    }
}
