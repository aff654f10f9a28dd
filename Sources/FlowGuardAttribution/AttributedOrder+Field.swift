extension AttributedOrder {
    /// The names of the output record's fields that readers use: the job writes them and reads them
    /// back, and the console adds them up, by these names only.
    package enum Field {
        /// `last_click`, `view_through` or `none` (``Attribution/Model``).
        package static let attributionModel = "attribution_model"
        package static let creditedEventID = "credited_event_id"
        /// `click` or `impression`: the credited event's `event_type`.
        package static let creditedEventType = "credited_event_type"
        package static let creditedAdID = "credited_ad_id"
        package static let creditedAdType = "credited_ad_type"
        package static let creditedTimestamp = "credited_timestamp"
        /// Milliseconds from the credited event to the order.
        package static let timeToConvertMillis = "time_to_convert_ms"
        /// The orders topic's partition the order was read from.
        package static let sourcePartition = "source_partition"
        /// The order's offset in that partition: with the partition, one order's identity.
        package static let sourceOffset = "source_offset"
        /// The order's own `price`, which the output repeats with the order's other fields.
        package static let price = "price"
    }
}
