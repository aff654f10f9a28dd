/// A click or an impression of one user, as the model needs it: what can be credited, and when.
///
/// A record of the clicks topic is a click when its `is_click` is true, whichever endpoint took it; an
/// impression, or a click event with `is_click` false (an ad shown and not clicked), is an impression.
package struct AdTouch: Sendable, Equatable {
    /// Whether the user clicked; false for an impression.
    package var isClick: Bool
    /// The event's `event_id`.
    package var eventID: String
    /// The event's `event_type` (`click` or `impression`), as written to the record.
    package var eventType: String
    package var userID: Int64
    package var adID: String
    package var adType: String
    /// The event's own `timestamp`, in milliseconds since the epoch.
    package var timestampMillis: Int64
    /// Where the record is in the clicks topic: the last tie-break between touches of the same millisecond.
    package var partition: Int32
    package var offset: Int64

    package init(
        isClick: Bool, eventID: String, eventType: String, userID: Int64, adID: String, adType: String, timestampMillis: Int64,
        partition: Int32, offset: Int64
    ) {
        self.isClick = isClick
        self.eventID = eventID
        self.eventType = eventType
        self.userID = userID
        self.adID = adID
        self.adType = adType
        self.timestampMillis = timestampMillis
        self.partition = partition
        self.offset = offset
    }

    /// Touches are ordered by event time, then by their place in the topic, so that "the last one" is
    /// the same whatever order they were read in.
    func precedes(_ other: AdTouch) -> Bool {
        (timestampMillis, partition, offset) < (other.timestampMillis, other.partition, other.offset)
    }
}
