@testable import FlowGuardKafka
import Foundation
import Testing

@Suite("Kafka: nextEvents keeps the order of the assignment and the records")
struct KafkaPrefetchTests {
    @Test("the assignment comes first, then every record of the partition once, in offset order, across many batches of at most 7")
    func prefetchedEventsInOrder() async throws {
        let (cluster, producer) = try makeClusterAndProducer(topics: [TopicSpec(name: "prefetch", partitions: 1, replicationFactor: 1)])
        defer { producer.stopPolling() }
        for index in 0..<120 {
            _ = try await producer.produce(topic: "prefetch", key: Array("k".utf8), value: Array("\(index)".utf8))
        }
        let configuration = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers, consumer: ["session.timeout.ms": "6000"])
        let consumer = try KafkaConsumer(configuration: configuration, groupID: "prefetch", autoCommit: false, logger: testLogger)
        try consumer.subscribe(topics: ["prefetch"])
        var events: [KafkaConsumer.Event] = []
        var records = 0
        let deadline = ContinuousClock.now + .seconds(60)
        while records < 120 && ContinuousClock.now < deadline {
            let batch = try await consumer.nextEvents(max: 7, timeout: .milliseconds(200))
            #expect(batch.count <= 7)
            for event in batch {
                events.append(event)
                if case .record = event { records += 1 }
            }
        }
        await consumer.close()
        #expect(events.first == .assigned([TopicPartition(topic: "prefetch", partition: 0)]))
        let offsets = events.compactMap { event -> Int64? in
            if case .record(let record) = event { return record.offset } else { return nil }
        }
        #expect(offsets == Array(0..<120))
    }
}
