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

@Suite("Kafka: the fetch waker wakes librdkafka's broker threads only while a backlog is read")
struct FetchWakerTests {
    @Test("a short poll soon after records wakes; a full poll, an idle consumer, a wake under way or one just made do not")
    func decisions() {
        let start = ContinuousClock.now
        var state = RDKafkaFetchWaker.State()
        var woke: Bool
        woke = state.pollEnded(records: 0, asked: 500, now: start)
        #expect(!woke, "no records yet: idle, nothing to wake")
        woke = state.pollEnded(records: 500, asked: 500, now: start)
        #expect(!woke, "a full poll: the queue still holds records")
        woke = state.pollEnded(records: 120, asked: 500, now: start + .milliseconds(1))
        #expect(woke, "the queue ran dry during a backlog")
        woke = state.pollEnded(records: 0, asked: 500, now: start + .milliseconds(30))
        #expect(!woke, "the wake is still under way")
        state.waking = false
        woke = state.pollEnded(records: 3, asked: 500, now: start + .milliseconds(5))
        #expect(!woke, "within the minimum interval of the last wake")
        woke = state.pollEnded(records: 0, asked: 500, now: start + .milliseconds(40))
        #expect(woke, "dry again, 40 ms after records")
        state.waking = false
        woke = state.pollEnded(records: 0, asked: 500, now: start + .seconds(2))
        #expect(!woke, "no records for over a second: idle")
    }
}
