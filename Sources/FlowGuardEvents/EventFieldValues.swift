import FlowGuardJSON

/// A value that passed its field's rule, as the decoders hand it over.
enum EventFieldValue {
    case string(String)
    case integer(Int64)
    case number(JSONNumber)
    case boolean(Bool)
    /// Epoch milliseconds.
    case timestamp(Int64)
}

/// The fields of one event as a decoder reads them, each in its ``EventField/Slot``, until they
/// make a ``ValidatedEvent``.
struct EventFieldValues {
    var eventID: String?
    var userID: Int64?
    var orderID: String?
    var itemID: Int64?
    var itemName: String?
    var price: JSONNumber?
    var adID: String?
    var isClick: Bool?
    var adType: String?
    var timestampMillis: Int64?

    /// Puts a value in its slot. The value's type follows from its field's rule, and every rule of
    /// the schemas fits its slot (the schema tests decode every field's examples). Inlined: the
    /// plain reader calls it for every field of every event, and the call cost more than the switch.
    @inline(__always)
    mutating func store(_ value: EventFieldValue, in slot: EventField.Slot) {
        switch (slot, value) {
        case (.eventID, .string(let string)): eventID = string
        case (.userID, .integer(let integer)): userID = integer
        case (.orderID, .string(let string)): orderID = string
        case (.itemID, .integer(let integer)): itemID = integer
        case (.itemName, .string(let string)): itemName = string
        case (.price, .number(let number)): price = number
        case (.adID, .string(let string)): adID = string
        case (.isClick, .boolean(let flag)): isClick = flag
        case (.adType, .string(let string)): adType = string
        case (.timestamp, .timestamp(let millis)): timestampMillis = millis
        default: assertionFailure("\(slot) cannot hold \(value)")
        }
    }

    /// Empties a slot.
    mutating func clear(_ slot: EventField.Slot) {
        switch slot {
        case .eventID: eventID = nil
        case .userID: userID = nil
        case .orderID: orderID = nil
        case .itemID: itemID = nil
        case .itemName: itemName = nil
        case .price: price = nil
        case .adID: adID = nil
        case .isClick: isClick = nil
        case .adType: adType = nil
        case .timestamp: timestampMillis = nil
        }
    }

    /// The event, once the caller made sure that every required field of the kind was read. An
    /// absent `is_click` (only an impression may leave it out) is false; an absent timestamp is nil.
    func event(kind: EventKind) -> ValidatedEvent? {
        guard let eventID, let userID else { return nil }
        let details: ValidatedEvent.Details
        switch kind {
        case .order:
            guard let orderID, let itemID, let itemName, let price else { return nil }
            details = .order(.init(orderID: orderID, itemID: itemID, itemName: itemName, price: price))
        case .click, .impression:
            guard let adID, let adType else { return nil }
            details = .ad(.init(adID: adID, isClick: isClick ?? false, adType: adType))
        }
        return ValidatedEvent(kind: kind, eventID: eventID, userID: userID, clientTimestampMillis: timestampMillis, details: details)
    }
}
