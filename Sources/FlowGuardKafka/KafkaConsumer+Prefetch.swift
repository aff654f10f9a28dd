extension KafkaConsumer {
    /// As ``nextEvent(timeout:)``, but an empty queue is refilled with up to `prefetch` records in one
    /// trip to librdkafka's poll, and later calls are answered from it; the order of records and
    /// rebalances is the order they happened in.
    package func nextEvent(timeout: Duration, prefetch: Int) async throws(KafkaError) -> Event? {
        if let pending = client.context.takeConsumerEvent() { return pending }
        try await client.consumerPrefetch(max: prefetch, timeoutMillis: Int32(clamping: timeout.milliseconds))
        return client.context.takeConsumerEvent()
    }
}
