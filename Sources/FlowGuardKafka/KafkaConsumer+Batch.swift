extension KafkaConsumer {
    /// Waits up to `timeout` for records and returns up to `max` of them at once (fewer, or none, when
    /// fewer are ready). For consumers that `assign()`; a group consumer reads with `nextEvent`.
    public func pollBatch(max: Int, timeout: Duration) async throws(KafkaError) -> [KafkaRecord] {
        try await client.consumerPollBatch(max: max, timeoutMillis: Int32(clamping: timeout.milliseconds))
    }
}
