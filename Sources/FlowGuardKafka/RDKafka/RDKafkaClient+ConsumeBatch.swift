import CRdKafka

extension RDKafkaClient {
    /// Takes up to `max` records from the consumer queue in one call on the blocking queue: one thread
    /// hop per batch instead of one per record, which is most of the cost of a record at 100,000/s.
    /// Meant for consumers that only `assign()`: a group's rebalances are not reported here.
    func consumerPollBatch(max: Int, timeoutMillis: Int32) async throws(KafkaError) -> [KafkaRecord] {
        let result: Result<[KafkaRecord], KafkaError> = await blocking { [self] in
            guard let queue = rd_kafka_queue_get_consumer(self.handle) else {
                return .failure(KafkaError(code: .consume, message: "the client has no consumer queue"))
            }
            defer { rd_kafka_queue_destroy(queue) }
            var messages = [UnsafeMutablePointer<rd_kafka_message_t>?](repeating: nil, count: max)
            let count = rd_kafka_consume_batch_queue(queue, timeoutMillis, &messages, max)
            guard count >= 0 else {
                return .failure(KafkaError(code: .consume, message: "consuming a batch failed"))
            }
            var records: [KafkaRecord] = []
            records.reserveCapacity(count)
            var failure: KafkaError? = nil
            // Every message taken is destroyed, the ones after an error included.
            for message in messages.prefix(count) {
                guard let message else { continue }
                defer { rd_kafka_message_destroy(message) }
                let err = message.pointee.err
                if err == RD_KAFKA_RESP_ERR__PARTITION_EOF { continue }
                guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    if failure == nil {
                        var error = KafkaError.rdKafka(err, code: .consume)
                        if let text = rd_kafka_message_errstr(message) { error.message = String(cString: text) }
                        failure = error
                    }
                    continue
                }
                records.append(KafkaRecord(message))
            }
            if let failure, records.isEmpty { return .failure(failure) }
            return .success(records)
        }
        return try result.get()
    }
}
