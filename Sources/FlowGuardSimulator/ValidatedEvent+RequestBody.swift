import FlowGuardEvents
import FlowGuardJSON
import FlowGuardSupport

extension ValidatedEvent {
    /// The JSON body a client POSTs for this event: its own fields only, in schema order (the
    /// gateway adds `event_type`, `timestamp` and `received_at`). An impression leaves out
    /// `is_click`, as the ad system's impression requests do.
    var requestBody: [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(160)
        appendFields(to: &body, impressionIsClick: false)
        if let millis = clientTimestampMillis {
            JSONWriter.appendRaw(#","timestamp":""#, to: &body)
            RFC3339.append(millis: millis, to: &body)
            body.append(UInt8(ascii: "\""))
        }
        body.append(UInt8(ascii: "}"))
        return body
    }
}
