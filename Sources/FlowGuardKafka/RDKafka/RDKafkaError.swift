import CRdKafka

extension KafkaError {
    /// Builds an error from a librdkafka response code.
    static func rdKafka(_ err: rd_kafka_resp_err_t, code: Code, context: String? = nil) -> KafkaError {
        let name = String(cString: rd_kafka_err2name(err))
        let text = String(cString: rd_kafka_err2str(err))
        let message = context.map { "\($0): \(text)" } ?? text
        return KafkaError(
            code: code,
            message: message,
            rdKafkaName: name.hasPrefix("_") ? String(name.dropFirst()) : name,
            rdKafkaCode: err.rawValue,
            isRetriable: Self.retriable.contains(err),
            isFatal: err == RD_KAFKA_RESP_ERR__FATAL
        )
    }

    /// Builds an error from a librdkafka error object and destroys it.
    static func consuming(_ error: OpaquePointer, code: Code, context: String? = nil) -> KafkaError {
        defer { rd_kafka_error_destroy(error) }
        var result = rdKafka(rd_kafka_error_code(error), code: code, context: context)
        if let text = rd_kafka_error_string(error) {
            result.message = context.map { "\($0): \(String(cString: text))" } ?? String(cString: text)
        }
        result.isRetriable = rd_kafka_error_is_retriable(error) != 0 || result.isRetriable
        result.isFatal = rd_kafka_error_is_fatal(error) != 0
        return result
    }

    /// Errors after which the same request may succeed.
    private static let retriable: Set<rd_kafka_resp_err_t> = [
        RD_KAFKA_RESP_ERR__QUEUE_FULL, RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN,
        RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND,
        RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
        RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION, RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE,
        RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
    ]
}

extension rd_kafka_resp_err_t: @retroactive Hashable {}
