@testable import FlowGuardKafka
import Foundation
import Logging

/// A logger that stays quiet in tests unless FLOWGUARD_TEST_LOG is set.
let testLogger: Logger = {
    var logger = Logger(label: "flowguard.tests")
    logger.logLevel = ProcessInfo.processInfo.environment["FLOWGUARD_TEST_LOG"] == nil ? .critical : .debug
    return logger
}()

/// The two event topics of topics.yaml (the ones the gateway writes), as the embedded cluster in tests creates them.
let testTopics = [
    TopicSpec(name: "raw.orders.v1", partitions: 3, replicationFactor: 2),
    TopicSpec(name: "raw.clicks.v1", partitions: 6, replicationFactor: 2),
]

/// `flowguard attribute`'s output topic, the third topic of topics.yaml.
let attributedOrdersTopic = TopicSpec(name: "attributed.orders.v1", partitions: 3, replicationFactor: 2)

/// Every topic of topics.yaml, for the commands that check a cluster against the file.
let shippedTopics = testTopics + [attributedOrdersTopic]

/// A fresh 3-broker embedded cluster and a producer started on it.
func makeClusterAndProducer(
    topics: [TopicSpec] = testTopics,
    producerProperties: [String: String] = [:]
) throws -> (EmbeddedCluster, KafkaProducer) {
    let cluster = try EmbeddedCluster(brokers: 3, topics: topics, logger: testLogger)
    let producer = try KafkaProducer(
        configuration: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers, producer: producerProperties),
        logger: testLogger
    )
    producer.startPolling()
    return (cluster, producer)
}

/// Reads one record at an exact position.
func readRecord(bootstrap: String, topic: String, partition: Int32, offset: Int64) async throws -> KafkaRecord? {
    let consumer = try KafkaConsumer(configuration: KafkaConfiguration(bootstrapServers: bootstrap), logger: testLogger)
    try consumer.assign([.init(topic: topic, partition: partition, offset: .exactly(offset))])
    let deadline = ContinuousClock.now + .seconds(10)
    while ContinuousClock.now < deadline {
        if let record = try await consumer.poll(timeout: .milliseconds(200)) {
            return record
        }
    }
    return nil
}

/// Counts the records of a topic by its partitions' watermarks.
func storedRecordCount(bootstrap: String, topic: String) async throws -> Int64 {
    let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: bootstrap), logger: testLogger)
    let metadata = try await admin.metadata(timeout: .seconds(5))
    guard let described = metadata.topic(named: topic) else { return 0 }
    var total: Int64 = 0
    for partition in described.partitions {
        let (low, high) = try await admin.watermarks(topic: topic, partition: partition.id, timeout: .seconds(5))
        total += high - low
    }
    return total
}
