extension KafkaConsumer {
    /// Waits up to `timeout` for records and returns up to `max` of them at once: fewer, or none,
    /// when fewer are ready (only the first waits). One trip to librdkafka serves the whole batch
    /// (``RDKafkaClient/consumerPrefetch(max:timeoutMillis:)``); rebalances are applied and not
    /// reported, as by ``poll(timeout:)``.
    public func pollBatch(max: Int, timeout: Duration) async throws(KafkaError) -> [KafkaRecord] {
        let queued = client.context.takeQueuedRecords(max: max)
        guard queued.isEmpty else { return queued }
        try await client.consumerPrefetch(max: max, timeoutMillis: Int32(clamping: timeout.milliseconds))
        return client.context.takeQueuedRecords(max: max)
    }
}
