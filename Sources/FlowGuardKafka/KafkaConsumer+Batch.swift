extension KafkaConsumer {
    /// Waits up to `timeout` for records and returns those already fetched, at most `maxRecords`:
    /// for readers that scan many records (the console's filters), where one `poll` per record
    /// would cost a thread hop each.
    /// - Returns: the records in the order received; empty when none arrived in time.
    package func poll(maxRecords: Int, timeout: Duration) async throws(KafkaError) -> [KafkaRecord] {
        try await client.consumerPollBatch(maxRecords: maxRecords, timeoutMillis: Int32(clamping: timeout.milliseconds))
    }
}
