import FlowGuardJSON

/// An event whose body passed every rule of its kind's ``EventSchema``, ready to be written to Kafka.
/// Each property is one field of the schema; the schema says its JSON name and its limits.
public struct ValidatedEvent: Sendable, Equatable {
    /// The fields specific to an order.
    public struct OrderFields: Sendable, Equatable {
        /// `order_id`.
        public var orderID: String
        /// `item_id`.
        public var itemID: Int64
        /// `item_name`.
        public var itemName: String
        /// `price`, kept exactly as the client wrote it.
        public var price: JSONNumber

        /// Creates order fields.
        public init(orderID: String, itemID: Int64, itemName: String, price: JSONNumber) {
            self.orderID = orderID
            self.itemID = itemID
            self.itemName = itemName
            self.price = price
        }
    }

    /// The fields specific to a click or an impression.
    public struct AdFields: Sendable, Equatable {
        /// `ad_id`.
        public var adID: String
        /// `is_click`: required for a click; always false for an impression.
        public var isClick: Bool
        /// `ad_type`.
        public var adType: String

        /// Creates ad fields.
        public init(adID: String, isClick: Bool, adType: String) {
            self.adID = adID
            self.isClick = isClick
            self.adType = adType
        }
    }

    /// The fields that depend on the kind of event.
    public enum Details: Sendable, Equatable {
        /// The fields of an ``EventKind/order``.
        case order(OrderFields)
        /// The fields of an ``EventKind/click`` or ``EventKind/impression``.
        case ad(AdFields)
    }

    /// The kind of event, which decides the topic and `event_type`.
    public let kind: EventKind
    /// `event_id`, chosen by the client to make retries idempotent.
    public let eventID: String
    /// `user_id`; also the Kafka key.
    public let userID: Int64
    /// The client's `timestamp` in milliseconds since the epoch; nil when absent or null.
    public let clientTimestampMillis: Int64?
    /// The kind-specific fields.
    public let details: Details

    /// Creates an event from already validated fields.
    /// - Parameters:
    ///   - kind: The kind of event; `.order` goes with ``Details/order(_:)``, the others with ``Details/ad(_:)``.
    ///   - eventID: The client's event id.
    ///   - userID: The user id.
    ///   - clientTimestampMillis: The client's timestamp, if it sent one.
    ///   - details: The kind-specific fields.
    public init(kind: EventKind, eventID: String, userID: Int64, clientTimestampMillis: Int64?, details: Details) {
        self.kind = kind
        self.eventID = eventID
        self.userID = userID
        self.clientTimestampMillis = clientTimestampMillis
        self.details = details
    }

    /// The order fields, or nil for a click or impression.
    public var order: OrderFields? {
        if case .order(let fields) = details { fields } else { nil }
    }

    /// The click or impression fields, or nil for an order.
    public var ad: AdFields? {
        if case .ad(let fields) = details { fields } else { nil }
    }
}
