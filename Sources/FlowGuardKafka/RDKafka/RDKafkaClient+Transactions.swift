import CRdKafka

extension RDKafkaClient {
    /// The transactional calls of a producer created with `transactional.id`. Each blocks (librdkafka
    /// waits for the coordinator, and a commit first waits for every message of the transaction), so
    /// each runs on the blocking queue.
    enum TransactionStep: Sendable {
        case initialise(timeoutMillis: Int32)
        case begin
        case commit(timeoutMillis: Int32)
        case abort(timeoutMillis: Int32)
    }

    func transaction(_ step: TransactionStep) async throws(KafkaError) {
        let result: Result<Void, KafkaError> = await blocking { [self] in
            let error: OpaquePointer?
            let what: String
            switch step {
            case .initialise(let timeout):
                error = rd_kafka_init_transactions(self.handle, timeout)
                what = "initialising transactions"
            case .begin:
                error = rd_kafka_begin_transaction(self.handle)
                what = "beginning a transaction"
            case .commit(let timeout):
                error = rd_kafka_commit_transaction(self.handle, timeout)
                what = "committing a transaction"
            case .abort(let timeout):
                error = rd_kafka_abort_transaction(self.handle, timeout)
                what = "aborting a transaction"
            }
            guard let error else { return .success(()) }
            return .failure(Self.transactionError(error, context: what))
        }
        try result.get()
    }

    /// Adds a consumer group's offsets to the open transaction: they are committed with it, or not at all.
    /// - Parameter consumer: the group member whose generation fences a member that lost the partitions.
    func sendOffsetsToTransaction(_ offsets: [TopicPartition: Int64], consumer: RDKafkaClient, timeoutMillis: Int32) async throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let result: Result<Void, KafkaError> = await blocking { [self] in
            guard let metadata = rd_kafka_consumer_group_metadata(consumer.handle) else {
                return .failure(KafkaError(code: .request, message: "the consumer has no group metadata (is it a group member?)"))
            }
            defer { rd_kafka_consumer_group_metadata_destroy(metadata) }
            let list = RDKafkaTopicPartitionList(offsets.keys.sorted()) { offsets[$0]! }
            guard let error = rd_kafka_send_offsets_to_transaction(self.handle, list.pointer, metadata, timeoutMillis) else {
                return .success(())
            }
            return .failure(Self.transactionError(error, context: "adding offsets to a transaction"))
        }
        try result.get()
    }

    /// The error, marked retriable when librdkafka says the transaction must only be aborted.
    private static func transactionError(_ error: OpaquePointer, context: String) -> KafkaError {
        let requiresAbort = rd_kafka_error_txn_requires_abort(error) != 0
        var result = KafkaError.consuming(error, code: .request, context: context)
        if requiresAbort {
            result.message += " (the transaction must be aborted)"
        }
        return result
    }

    /// The next offset the application reads from each partition; past transaction markers, which it never sees.
    func positions(_ partitions: [TopicPartition]) throws(KafkaError) -> [TopicPartition: Int64] {
        let list = RDKafkaTopicPartitionList(partitions)
        let err = rd_kafka_position(handle, list.pointer)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw .rdKafka(err, code: .consume, context: "positions") }
        var positions: [TopicPartition: Int64] = [:]
        for element in list.elements where element.offset >= 0 {
            positions[element.partition] = element.offset
        }
        return positions
    }
}
