extension KafkaConsumer {
    /// Up to `max` events at once, in the order they happened: what is queued, or else what one trip to
    /// librdkafka's poll brings (only its first record waits, up to `timeout`). Empty when nothing came.
    /// A reader of many small records (`dump`) pays one hop to the client's thread and one lock per
    /// batch rather than per record, as ``nextEvent(timeout:)`` would.
    package func nextEvents(max: Int, timeout: Duration) async throws(KafkaError) -> [Event] {
        let queued = client.context.takeConsumerEvents(max: max)
        guard queued.isEmpty else { return queued }
        try await client.consumerPrefetch(max: max, timeoutMillis: Int32(clamping: timeout.milliseconds))
        return client.context.takeConsumerEvents(max: max)
    }
}
