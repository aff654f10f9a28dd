import CRdKafka

extension RDKafkaClient {
    /// Polls up to `max` messages in one trip to the blocking queue and queues them as consumer events,
    /// behind any rebalance the callback queued meanwhile, so the queue keeps the order things happened
    /// in. Only the first poll waits (up to `timeoutMillis`); the rest take what librdkafka has fetched.
    /// One trip per message costs a thread hop and a continuation each, which bounds a reader of many
    /// small records (`dump`) well below what librdkafka hands out.
    func consumerPrefetch(max: Int, timeoutMillis: Int32) async throws(KafkaError) {
        let result: Result<Void, KafkaError> = await polling(timeoutMillis: timeoutMillis) { [self] in
            var timeout = timeoutMillis
            var records = 0
            defer { self.fetchWaker?.pollEnded(client: self, records: records, asked: max) }
            for _ in 0..<max {
                guard let message = rd_kafka_consumer_poll(self.handle, timeout) else { break }
                defer { rd_kafka_message_destroy(message) }
                timeout = 0
                let err = message.pointee.err
                if err == RD_KAFKA_RESP_ERR__PARTITION_EOF { continue }
                guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    var error = KafkaError.rdKafka(err, code: .consume)
                    if let text = rd_kafka_message_errstr(message) {
                        error.message = String(cString: text)
                    }
                    return .failure(error)
                }
                self.context.queueConsumerEvent(.record(KafkaRecord(message)))
                records += 1
            }
            return .success(())
        }
        try result.get()
    }
}
