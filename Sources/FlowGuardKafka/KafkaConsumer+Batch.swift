extension KafkaConsumer {
    /// Waits up to `timeout` for records and returns up to `max` of them at once: fewer, or none,
    /// when fewer are ready (only the first waits). One trip to librdkafka serves the whole batch
    /// (``RDKafkaClient/consumerPrefetch(max:timeoutMillis:)``); rebalances are applied and not
    /// reported, as by ``poll(timeout:)``.
    public func pollBatch(max: Int, timeout: Duration) async throws(KafkaError) -> [KafkaRecord] {
        try await batch(max: max, timeout: timeout) { client.context.takeQueuedRecords(max: $0) }
    }

    /// Up to `max` events at once, in the order they happened: what is queued, or else what one trip to
    /// librdkafka's poll brings (only its first record waits, up to `timeout`). Empty when nothing came.
    /// A reader of many small records (`dump`) pays one hop to the client's thread and one lock per
    /// batch rather than per record, as ``nextEvent(timeout:)`` would.
    package func nextEvents(max: Int, timeout: Duration) async throws(KafkaError) -> [Event] {
        try await batch(max: max, timeout: timeout) { client.context.takeConsumerEvents(max: $0) }
    }

    /// What `take` finds queued, or else what it finds after one prefetch of up to `max` records.
    private func batch<Element>(max: Int, timeout: Duration, take: (Int) -> [Element]) async throws(KafkaError) -> [Element] {
        let queued = take(max)
        guard queued.isEmpty else { return queued }
        try await client.consumerPrefetch(max: max, timeoutMillis: Int32(clamping: timeout.milliseconds))
        return take(max)
    }
}
