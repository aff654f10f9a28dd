import CRdKafka

extension RDKafkaClient {
    /// Polls up to `maxRecords` messages in one trip to the blocking queue: the first poll waits up to
    /// the timeout, the following ones take only what is already fetched. One trip per message costs
    /// a thread hop each, which caps a scan far below what librdkafka fetches.
    func consumerPollBatch(maxRecords: Int, timeoutMillis: Int32) async throws(KafkaError) -> [KafkaRecord] {
        let result: Result<[KafkaRecord], KafkaError> = await blocking { [self] in
            let handle = self.handle
            var records: [KafkaRecord] = []
            var wait = timeoutMillis
            while records.count < maxRecords, let message = rd_kafka_consumer_poll(handle, wait) {
                defer { rd_kafka_message_destroy(message) }
                wait = 0
                let err = message.pointee.err
                if err == RD_KAFKA_RESP_ERR__PARTITION_EOF { continue }
                guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    // Records already taken are returned; the error shows on the next call if it lasts.
                    if !records.isEmpty { break }
                    var error = KafkaError.rdKafka(err, code: .consume)
                    if let text = rd_kafka_message_errstr(message) {
                        error.message = String(cString: text)
                    }
                    return .failure(error)
                }
                records.append(KafkaRecord(message))
            }
            return .success(records)
        }
        // As `consumerNextRecord`: rebalances are applied by the callback and not reported here.
        context.discardRebalanceEvents()
        return try result.get()
    }
}
