@testable import FlowGuardKafka
import Testing

@Suite("Kafka: one readiness signal wakes a task that waits for either of two consumers")
struct KafkaReadinessTests {
    @Test("a record arriving at either consumer ends the wait, and the record is then ready without waiting", .timeLimit(.minutes(2)))
    func eitherConsumerWakes() async throws {
        let topics = [TopicSpec(name: "ready.a", partitions: 1, replicationFactor: 1), TopicSpec(name: "ready.b", partitions: 1, replicationFactor: 1)]
        let (cluster, producer) = try makeClusterAndProducer(topics: topics)
        defer { producer.stopPolling() }
        let readiness = KafkaReadiness()
        let configuration = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        var consumers: [String: KafkaConsumer] = [:]
        for topic in ["ready.a", "ready.b"] {
            let consumer = try KafkaConsumer(configuration: configuration, readiness: readiness, logger: testLogger)
            try consumer.assign([.init(topic: topic, partition: 0, offset: .beginning)])
            consumers[topic] = consumer
        }
        // What the assignments queue (fetch starts, errors) may raise the signal; drain until quiet.
        var quiet = false
        while !quiet {
            for consumer in consumers.values {
                #expect(try await consumer.poll(timeout: .zero) == nil)
            }
            quiet = await !readiness.wait(timeout: .milliseconds(300))
        }
        for (index, topic) in ["ready.b", "ready.a", "ready.b"].enumerated() {
            _ = try await producer.produce(topic: topic, key: Array("k".utf8), value: Array("\(index)".utf8))
            // Each signal is followed by polls that do not wait. Another event librdkafka queues (an
            // error, a fetch state change) may raise the signal before the record does: then the
            // record comes with a later signal.
            var record: KafkaRecord?
            let deadline = ContinuousClock.now + .seconds(30)
            while record == nil, ContinuousClock.now < deadline, await readiness.wait(timeout: .seconds(30)) {
                record = try await consumers[topic]!.poll(timeout: .zero)
            }
            #expect(record?.value == Array("\(index)".utf8), "no signal brought the record on \(topic)")
            for consumer in consumers.values {
                #expect(try await consumer.poll(timeout: .zero) == nil)
            }
        }
        for consumer in consumers.values { await consumer.close() }
    }

    @Test("a signal raised while nobody waits ends the next wait at once, and only that one")
    func sticky() async {
        let readiness = KafkaReadiness()
        readiness.raise()
        #expect(await readiness.wait(timeout: .seconds(60)))
        #expect(await !readiness.wait(timeout: .milliseconds(20)))
    }

    @Test("a cancelled wait ends at once, unraised", .timeLimit(.minutes(1)))
    func cancelled() async {
        let readiness = KafkaReadiness()
        let waiting = Task { await readiness.wait(timeout: .seconds(3600)) }
        try? await Task.sleep(for: .milliseconds(50))
        waiting.cancel()
        #expect(await !waiting.value)
        readiness.raise()
        #expect(await readiness.wait(timeout: .seconds(60)), "the cancelled wait did not take the signal meant for the next one")
    }
}
