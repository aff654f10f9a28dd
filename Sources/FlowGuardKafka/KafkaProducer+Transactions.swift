extension KafkaProducer {
    /// Registers the producer's `transactional.id` with the cluster and fences an earlier producer with
    /// the same id. Call once, before the first transaction.
    /// - Throws: `KafkaError` when the producer has no `transactional.id` or the cluster does not answer.
    public func initTransactions(timeout: Duration) async throws(KafkaError) {
        try await client.transaction(.initialise(timeoutMillis: Int32(clamping: timeout.milliseconds)))
    }

    /// Opens a transaction: the records produced until its commit or abort belong to it.
    public func beginTransaction() async throws(KafkaError) {
        try await client.transaction(.begin)
    }

    /// Adds a consumer group's offsets (each the next offset to read) to the open transaction, so that
    /// the records produced and the input they came from are committed together.
    /// - Parameter consumer: the group member that read the input.
    public func sendOffsetsToTransaction(_ offsets: [TopicPartition: Int64], consumer: KafkaConsumer, timeout: Duration) async throws(KafkaError) {
        try await client.sendOffsetsToTransaction(offsets, consumer: consumer.client, timeoutMillis: Int32(clamping: timeout.milliseconds))
    }

    /// Commits the open transaction, after waiting for every record of it to be acknowledged.
    public func commitTransaction(timeout: Duration) async throws(KafkaError) {
        try await client.transaction(.commit(timeoutMillis: Int32(clamping: timeout.milliseconds)))
    }

    /// Aborts the open transaction: `read_committed` readers never see its records.
    public func abortTransaction(timeout: Duration) async throws(KafkaError) {
        try await client.transaction(.abort(timeoutMillis: Int32(clamping: timeout.milliseconds)))
    }
}
