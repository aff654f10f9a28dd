import CRdKafka
import Logging

/// Owns a librdkafka mock cluster and the client handle that hosts it.
///
/// `@unchecked Sendable`: the mock cluster's functions lock internally (they hand work to the
/// cluster's own thread); the pointers never change after init.
final class RDKafkaMockCluster: @unchecked Sendable {
    private let host: RDKafkaClient
    private let cluster: OpaquePointer
    let bootstrapServers: String

    init(brokers: Int, logger: Logger) throws(KafkaError) {
        // The host has no bootstrap servers on purpose, so librdkafka's CONFWARN about that is no news.
        let context = RDKafkaClientContext(name: "embedded-cluster", logger: logger, quietFacilities: ["CONFWARN"])
        // The mock cluster lives inside a client handle; this one never connects anywhere.
        host = try RDKafkaClient(kind: .producer, properties: ["log.connection.close": "false"], context: context)
        guard let cluster = rd_kafka_mock_cluster_new(host.handle, Int32(brokers)) else {
            throw KafkaError(code: .mockCluster, message: "cannot start an embedded cluster with \(brokers) brokers")
        }
        self.cluster = cluster
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    deinit {
        // The cluster must go before the handle that hosts it.
        rd_kafka_mock_cluster_destroy(cluster)
    }

    func createTopic(name: String, partitions: Int, replicationFactor: Int) throws(KafkaError) {
        try check(rd_kafka_mock_topic_create(cluster, name, Int32(partitions), Int32(replicationFactor)), "create topic \(name)")
    }

    func setBroker(_ id: Int32, up: Bool) throws(KafkaError) {
        let err = up ? rd_kafka_mock_broker_set_up(cluster, id) : rd_kafka_mock_broker_set_down(cluster, id)
        try check(err, "set broker \(id) \(up ? "up" : "down")")
    }

    func setRoundTripTime(broker id: Int32, milliseconds: Int) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_rtt(cluster, id, Int32(milliseconds)), "set RTT of broker \(id)")
    }

    func setPartitionLeader(topic: String, partition: Int32, broker: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_partition_set_leader(cluster, topic, partition, broker), "move leader of \(topic)[\(partition)]")
    }

    func pushRequestErrors(apiKey: Int16, errors: [Int32]) {
        let codes = errors.map { rd_kafka_resp_err_t($0) }
        codes.withUnsafeBufferPointer { buffer in
            rd_kafka_mock_push_request_errors_array(cluster, apiKey, buffer.count, buffer.baseAddress)
        }
    }

    func clearRequestErrors(apiKey: Int16) {
        rd_kafka_mock_clear_request_errors(cluster, apiKey)
    }

    private func check(_ err: rd_kafka_resp_err_t, _ what: String) throws(KafkaError) {
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw .rdKafka(err, code: .mockCluster, context: what)
        }
    }
}

extension EmbeddedCluster.RequestError {
    /// The code librdkafka uses for this broker error, by its name (`NOT_ENOUGH_REPLICAS`).
    static func code(named name: String) -> Int32? {
        var descriptions: UnsafePointer<rd_kafka_err_desc>? = nil
        var count = 0
        rd_kafka_get_err_descs(&descriptions, &count)
        guard let descriptions else { return nil }
        for index in 0..<count {
            let description = descriptions[index]
            if let descriptionName = description.name, String(cString: descriptionName) == name {
                return description.code.rawValue
            }
        }
        return nil
    }
}
