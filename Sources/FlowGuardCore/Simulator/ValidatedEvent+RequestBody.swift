extension ValidatedEvent {
    /// The JSON body a client POSTs for this event: its own fields only, in schema order (the
    /// gateway adds `event_type`, `timestamp` and `received_at`). An impression leaves out
    /// `is_click`, as the ad system's impression requests do.
    var requestBody: [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(160)
        JSONWriter.appendRaw(#"{"event_id":"#, to: &body)
        JSONWriter.appendString(eventID, to: &body)
        JSONWriter.appendRaw(#","user_id":"#, to: &body)
        JSONWriter.appendInteger(userID, to: &body)
        switch details {
        case .order(let order):
            JSONWriter.appendRaw(#","order_id":"#, to: &body)
            JSONWriter.appendString(order.orderID, to: &body)
            JSONWriter.appendRaw(#","item_id":"#, to: &body)
            JSONWriter.appendInteger(order.itemID, to: &body)
            JSONWriter.appendRaw(#","item_name":"#, to: &body)
            JSONWriter.appendString(order.itemName, to: &body)
            JSONWriter.appendRaw(#","price":"#, to: &body)
            JSONWriter.appendRaw(order.price.lexeme, to: &body)
        case .ad(let ad):
            JSONWriter.appendRaw(#","ad_id":"#, to: &body)
            JSONWriter.appendString(ad.adID, to: &body)
            if kind == .click {
                JSONWriter.appendRaw(ad.isClick ? #","is_click":true"# : #","is_click":false"#, to: &body)
            }
            JSONWriter.appendRaw(#","ad_type":"#, to: &body)
            JSONWriter.appendString(ad.adType, to: &body)
        }
        if let millis = clientTimestampMillis {
            JSONWriter.appendRaw(#","timestamp":""#, to: &body)
            RFC3339.append(millis: millis, to: &body)
            body.append(UInt8(ascii: "\""))
        }
        body.append(UInt8(ascii: "}"))
        return body
    }
}
