import CRdKafka

/// Builds an `rd_kafka_conf_t` from string properties.
enum RDKafkaConfig {
    /// Creates a configuration object; the caller owns it until `rd_kafka_new` succeeds.
    static func make(_ properties: [String: String]) throws(KafkaError) -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(code: .configuration, message: "rd_kafka_conf_new failed")
        }
        // Sorted so that errors are deterministic.
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            var errorBuffer = [CChar](repeating: 0, count: 512)
            let result = rd_kafka_conf_set(conf, key, value, &errorBuffer, errorBuffer.count)
            guard result == RD_KAFKA_CONF_OK else {
                rd_kafka_conf_destroy(conf)
                let shown = KafkaConfiguration.isSecret(key) ? "***" : value
                let reason = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                throw KafkaError(
                    code: .configuration,
                    message: "invalid Kafka property \(key)=\(shown): \(reason)"
                )
            }
        }
        return conf
    }
}
