import CRdKafka

extension RDKafkaClient {
    /// Creates topics with CreateTopics and waits for the per-topic results, never longer than the
    /// deadline: librdkafka's request and operation timeouts, and a bounded wait on the result queue.
    func createTopics(_ topics: [TopicSpec], timeoutMillis: Int32) async throws(KafkaError) -> [String: KafkaError?] {
        let result: Result<[String: KafkaError?], KafkaError> = await blocking { [self] in
            let handle = self.handle
            var newTopics: [OpaquePointer?] = []
            defer { newTopics.forEach { rd_kafka_NewTopic_destroy($0) } }
            for topic in topics {
                var errorBuffer = [CChar](repeating: 0, count: 512)
                guard let newTopic = rd_kafka_NewTopic_new(
                    topic.name, Int32(topic.partitions), Int32(topic.replicationFactor), &errorBuffer, errorBuffer.count
                ) else {
                    let reason = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                    return .failure(KafkaError(code: .request, message: "topic \(topic.name): \(reason)"))
                }
                newTopics.append(newTopic)
                for (key, value) in topic.config.sorted(by: { $0.key < $1.key }) {
                    let err = rd_kafka_NewTopic_set_config(newTopic, key, value)
                    guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                        return .failure(.rdKafka(err, code: .request, context: "topic \(topic.name) config \(key)"))
                    }
                }
            }

            guard let options = rd_kafka_AdminOptions_new(handle, RD_KAFKA_ADMIN_OP_CREATETOPICS) else {
                return .failure(KafkaError(code: .request, message: "cannot create admin options"))
            }
            defer { rd_kafka_AdminOptions_destroy(options) }
            var errorBuffer = [CChar](repeating: 0, count: 512)
            _ = rd_kafka_AdminOptions_set_request_timeout(options, timeoutMillis, &errorBuffer, errorBuffer.count)
            _ = rd_kafka_AdminOptions_set_operation_timeout(options, timeoutMillis, &errorBuffer, errorBuffer.count)

            let queue = rd_kafka_queue_new(handle)
            defer { rd_kafka_queue_destroy(queue) }
            newTopics.withUnsafeMutableBufferPointer { buffer in
                rd_kafka_CreateTopics(handle, buffer.baseAddress, buffer.count, options, queue)
            }
            // The result normally arrives within the request timeout; the margin only covers scheduling.
            guard let event = rd_kafka_queue_poll(queue, timeoutMillis + 2000) else {
                return .failure(
                    KafkaError(
                        code: .unsupported,
                        message: "the cluster did not answer CreateTopics within \(timeoutMillis / 1000)s",
                        rdKafkaName: "TIMED_OUT",
                        isRetriable: true
                    )
                )
            }
            defer { rd_kafka_event_destroy(event) }
            let eventError = rd_kafka_event_error(event)
            guard eventError == RD_KAFKA_RESP_ERR_NO_ERROR else {
                var error = KafkaError.rdKafka(eventError, code: .request, context: "CreateTopics failed")
                if let text = rd_kafka_event_error_string(event) {
                    error.message = "CreateTopics failed: \(String(cString: text))"
                }
                if eventError == RD_KAFKA_RESP_ERR__TIMED_OUT || eventError == RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT {
                    error.code = .unsupported
                    error.message = "the cluster did not answer CreateTopics within \(timeoutMillis / 1000)s"
                }
                return .failure(error)
            }
            guard let createResult = rd_kafka_event_CreateTopics_result(event) else {
                return .failure(KafkaError(code: .request, message: "CreateTopics returned no result"))
            }
            var count = 0
            guard let results = rd_kafka_CreateTopics_result_topics(createResult, &count) else {
                return .success([:])
            }
            var outcome: [String: KafkaError?] = [:]
            for index in 0..<count {
                guard let topicResult = results[index] else { continue }
                let name = String(cString: rd_kafka_topic_result_name(topicResult))
                let err = rd_kafka_topic_result_error(topicResult)
                if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                    outcome[name] = .some(nil)
                } else {
                    var error = KafkaError.rdKafka(err, code: .request, context: "create \(name)")
                    if let text = rd_kafka_topic_result_error_string(topicResult) {
                        error.message = "create \(name): \(String(cString: text))"
                    }
                    outcome[name] = error
                }
            }
            return .success(outcome)
        }
        return try result.get()
    }
}
