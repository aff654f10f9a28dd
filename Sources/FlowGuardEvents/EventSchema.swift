import FlowGuardJSON
import FlowGuardSupport

/// The fields of one kind of event, in schema order: the order in which issues are reported, the
/// Kafka value lists them and the OpenAPI document shows them. Unknown fields are forbidden.
public struct EventSchema: Sendable {
    /// The kind of event this schema describes.
    public let kind: EventKind
    /// The schema's name in the OpenAPI document, such as `OrderEvent`.
    public let title: String
    /// What an event of this kind records.
    public let description: String
    /// The fields, in schema order.
    public let fields: [EventField]

    /// The keys the gateway adds to every Kafka value after the event's own fields (and before
    /// and after the normalised `timestamp`): the kind, and when the gateway received the event.
    public static let eventTypeKey = "event_type"
    /// See ``eventTypeKey``.
    public static let receivedAtKey = "received_at"
}

extension EventKind {
    /// The fields an event of this kind has.
    public var schema: EventSchema {
        switch self {
        case .order: .order
        case .click: .click
        case .impression: .impression
        }
    }
}

// The schemas themselves, and the fields and rules several kinds share: every field name and limit
// is written in this file and nowhere else.
extension EventSchema {
    /// An order: `POST /api/v1/orders`.
    public static let order = EventSchema(
        kind: .order, title: "OrderEvent", description: "An item a user ordered.",
        fields: [
            .eventID,
            .userID.described("The user who ordered."),
            EventField("order_id", .orderID, .clientID, examples: [.init("ORD-001")], "The order the item belongs to."),
            EventField("item_id", .itemID, .positiveID, examples: [.init(501)], "The item ordered."),
            EventField("item_name", .itemName, .text(maxLength: 256), examples: [.init("Biryani")], "Display name of the item."),
            EventField("price", .price, .number(exclusiveMinimum: 0), examples: [.init(299.99)], "Price of the item."),
            .timestamp,
        ]
    )

    /// An ad click, or an ad shown and not clicked: `POST /api/v1/clicks`.
    public static let click = ad(
        .click, "ClickEvent", "A user's interaction with an ad: clicked, or shown and not clicked.",
        eventID: "test_002", isClick: .isClick
    )

    /// An ad shown to a user: `POST /api/v1/clicks/impression`. Its `is_click` may be left out.
    public static let impression = ad(
        .impression, "ImpressionEvent", "An ad shown to a user.",
        eventID: "imp-2025-0001",
        isClick: .isClick.narrowed(
            to: .falseOnly, required: false,
            examples: [.init(false, name: "explicit_is_click", summary: "An impression that states `is_click` false")],
            "Always false for an impression; may be left out (or null)."
        )
    )

    /// The fields of an event about an ad, which clicks and impressions share but for `is_click`.
    private static func ad(_ kind: EventKind, _ title: String, _ description: String, eventID: JSONValue, isClick: EventField) -> EventSchema {
        EventSchema(
            kind: kind, title: title, description: description,
            fields: [.eventID.example(eventID), .userID.described("The user who saw the ad."), .adID, isClick, .adType, .timestamp]
        )
    }
}

extension EventField.Rule {
    /// At least one character: every string field must say something.
    static func text(maxLength: Int) -> Self {
        .string(minLength: 1, maxLength: maxLength)
    }

    /// An id the client chooses (`event_id`, `order_id`, `ad_id`).
    static let clientID = text(maxLength: 128)

    /// An id from the client's database (`user_id`, `item_id`), counted from 1.
    static let positiveID = integer(minimum: 1)
}

extension EventField {
    /// `event_id`, the first field of every kind.
    static let eventID = EventField(
        "event_id", .eventID, .clientID, examples: [Example("test_001")],
        "Unique id of the event, chosen by the client. Send the same id again when retrying."
    )

    /// `user_id`: also the Kafka key, so that one user's events share a partition.
    static let userID = EventField("user_id", .userID, .positiveID, examples: [Example(1001)], "The user the event is about.")

    /// `ad_id` of a click or impression.
    static let adID = EventField("ad_id", .adID, .clientID, examples: [Example("ad_123")], "The ad.")

    /// `is_click` of a click; an impression narrows it to `false`.
    static let isClick = EventField(
        "is_click", .isClick, .boolean,
        examples: [Example(true), Example(false, name: "not_clicked", summary: "An ad that was shown and not clicked")],
        "Whether the user clicked the ad."
    )

    /// `ad_type` of a click or impression.
    static let adType = EventField("ad_type", .adType, .text(maxLength: 64), examples: [Example("banner")], "Kind of ad, such as `banner` or `video`.")

    /// `timestamp`, the last field of every kind: when the event happened on the client. The
    /// range is the epoch to the last instant RFC 3339 can write; the pattern admits those years.
    static let timestamp = EventField(
        "timestamp", .timestamp, .timestamp(range: 0...RFC3339.maxMillis), required: false,
        examples: [
            Example("2025-06-15T12:30:00+05:30", name: "with_rfc3339_timestamp", summary: "With an RFC 3339 event time"),
            Example("2025-06-15T07:00:00Z", name: "with_utc_timestamp", summary: "With an RFC 3339 event time in UTC"),
            Example(1_749_970_800_000, name: "with_epoch_millis", summary: "With the event time in epoch milliseconds"),
        ],
        pattern: "^(19[7-9][0-9]|[2-9][0-9]{3})-",
        "When the event happened on the client: an RFC 3339 date-time with an offset, or Unix epoch milliseconds. `null` is the same as leaving it out (the gateway then uses the receive time)."
    )
}
