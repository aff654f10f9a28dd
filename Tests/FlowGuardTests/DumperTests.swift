import CoreMetrics
@testable import FlowGuardKafka
@testable import FlowGuardLake
import Foundation
import Testing

@Suite("Dump's loop against the embedded cluster")
struct DumperTests {
    @Test("commits the coordinator refuses are retried after a pause, and every record still lands once")
    func refusedCommitsAreRetried() async throws {
        let (cluster, producer) = try makeClusterAndProducer()
        defer { producer.stopPolling() }
        for index in 0..<300 {
            _ = try await producer.produce(
                topic: "raw.orders.v1", partition: Int32(index % 3), key: Array("u\(index)".utf8),
                value: Array(#"{"event_id":"e\#(index)","timestamp":"2026-12-04T15:00:00.000Z"}"#.utf8)
            )
        }
        // Each of the first commits gets an error for every partition, and librdkafka does not retry it.
        let refusal = try #require(EmbeddedCluster.RequestError(name: "OFFSET_METADATA_TOO_LARGE"))
        cluster.pushRequestErrors(.offsetCommit, Array(repeating: refusal, count: 4))

        let lake = NSTemporaryDirectory() + "flowguard-dumper-test-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: lake) }
        let kafka = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers, consumer: ["session.timeout.ms": "6000"])
        let readiness = KafkaReadiness()
        let consumer = try KafkaConsumer(configuration: kafka, groupID: "dumper-test", autoCommit: false, readiness: readiness, logger: testLogger)
        try consumer.subscribe(topics: ["raw.orders.v1"])
        let store = FileLakeStore(root: lake)
        let dumper = Dumper(
            consumer: consumer, readiness: readiness, store: store,
            configuration: DumpConfiguration(
                topics: ["raw.orders.v1"], policy: RotationPolicy(maxRecords: 40, maxAge: .seconds(1)), spoolDirectory: NSTemporaryDirectory()
            ),
            metrics: DumpMetrics(factory: NOOPMetricsHandler.instance), logger: testLogger
        )
        let run = Task { try await dumper.run() }

        let partitions = (0..<3).map { TopicPartition(topic: "raw.orders.v1", partition: Int32($0)) }
        let reader = try KafkaConsumer(configuration: kafka, groupID: "dumper-test", autoCommit: false, logger: testLogger)
        let deadline = ContinuousClock.now + .seconds(60)
        var committed: [TopicPartition: Int64] = [:]
        while committed.values.reduce(0, +) < 300 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            committed = (try? await reader.committed(partitions, timeout: .seconds(5))) ?? committed
        }
        dumper.stop()
        try await run.value
        #expect(committed == [partitions[0]: 100, partitions[1]: 100, partitions[2]: 100])

        let report = try await LakeVerifier(store: store, kafka: kafka, groupID: "dumper-test", topics: ["raw.orders.v1"], logger: testLogger).run()
        #expect(report.isClean, "\(report.lines)")
        #expect(report.lakeRecords == 300)
    }
}
