import FlowGuardJSON

/// An order read from the orders topic, with the fields the model needs and the value it was read as.
package struct AttributableOrder: Sendable, Equatable {
    package var eventID: String
    package var userID: Int64
    /// The event's own `timestamp`, in milliseconds since the epoch.
    package var timestampMillis: Int64
    /// `price`, as written.
    package var price: JSONNumber
    /// Every field of the record's value, in its order: the output repeats them.
    package var fields: JSONObject
    /// Where the order was read: the output names it, and reading the output back finds it by it.
    package var partition: Int32
    package var offset: Int64

    package init(eventID: String, userID: Int64, timestampMillis: Int64, price: JSONNumber, fields: JSONObject, partition: Int32, offset: Int64) {
        self.eventID = eventID
        self.userID = userID
        self.timestampMillis = timestampMillis
        self.price = price
        self.fields = fields
        self.partition = partition
        self.offset = offset
    }

    /// The prefix of the `event_id` of the marked test orders `flowguard health-check --probe` writes.
    package static let probePrefix = "flowguard-probe-"

    /// Whether this is a probe order, which is counted and never credited.
    package var isProbe: Bool { eventID.hasPrefix(Self.probePrefix) }
}
