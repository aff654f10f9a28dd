import FlowGuardJSON

/// The members of an event body sorted into the fields a kind declares.
struct EventMembers {
    var eventID: JSONValue?
    var userID: JSONValue?
    var timestamp: JSONValue?
    var orderID: JSONValue?
    var itemID: JSONValue?
    var itemName: JSONValue?
    var price: JSONValue?
    var adID: JSONValue?
    var isClick: JSONValue?
    var adType: JSONValue?

    /// Stores a member in its field, the last one winning, and returns false when `kind` has no such field.
    mutating func assign(_ value: JSONValue, to key: String, kind: EventKind) -> Bool {
        let isOrder = kind == .order
        switch key {
        case "event_id": eventID = value
        case "user_id": userID = value
        case "timestamp": timestamp = value
        case "order_id" where isOrder: orderID = value
        case "item_id" where isOrder: itemID = value
        case "item_name" where isOrder: itemName = value
        case "price" where isOrder: price = value
        case "ad_id" where !isOrder: adID = value
        case "is_click" where !isOrder: isClick = value
        case "ad_type" where !isOrder: adType = value
        default: return false
        }
        return true
    }
}
