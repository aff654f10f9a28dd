@testable import FlowGuardKafka
import Foundation
import Testing

@Suite("Kafka core against the embedded cluster")
struct KafkaCoreTests {
    @Test("a delivery report names a real partition and offset that a consumer reads back byte for byte")
    func producedMessageIsReadBackExactly() async throws {
        let (cluster, producer) = try makeClusterAndProducer()
        defer { producer.stopPolling() }
        let value = Array(#"{"event_id":"e1","price":299.999}"#.utf8)
        let headers = [KafkaHeader(key: "event_type", value: "order"), KafkaHeader(key: "x-empty", value: nil)]
        let report = try await producer.produce(topic: "raw.orders.v1", key: Array("1001".utf8), value: value, headers: headers)
        #expect(report.topic == "raw.orders.v1")
        #expect((0..<3).contains(report.partition))
        #expect(report.offset == 0)

        let second = try await producer.produce(topic: "raw.orders.v1", key: Array("1001".utf8), value: value)
        #expect(second.partition == report.partition)
        #expect(second.offset == 1)

        let record = try #require(
            await readRecord(bootstrap: cluster.bootstrapServers, topic: "raw.orders.v1", partition: report.partition, offset: report.offset)
        )
        #expect(record.value == value)
        #expect(record.key == Array("1001".utf8))
        #expect(record.headers == headers)
        #expect(record.offset == 0)
    }

    @Test("produceAll: one report per message in order, each stored once; a message that cannot be queued fails alone")
    func batchProduce() async throws {
        let (cluster, producer) = try makeClusterAndProducer()
        defer {
            producer.stopPolling()
            withExtendedLifetime(cluster) {}
        }
        var records = (0..<500).map { index in
            OutgoingRecord(
                topic: "raw.orders.v1", key: Array("\(index % 37)".utf8), value: Array(#"{"n":\#(index)}"#.utf8),
                headers: [KafkaHeader(key: "n", value: "\(index)")]
            )
        }
        // Larger than the producer's message.max.bytes (1 MB): refused when queued, nothing sent.
        records[123].value = [UInt8](repeating: 0x20, count: 2_000_000)
        let results = await producer.produceAll(records)
        #expect(results.count == 500)
        var positions: Set<String> = []
        for (index, result) in results.enumerated() {
            switch result {
            case .success(let report):
                #expect(index != 123)
                #expect(report.offset >= 0)
                positions.insert("\(report.partition)@\(report.offset)")
            case .failure(let error):
                #expect(index == 123)
                #expect(error.code == .enqueue)
            }
        }
        #expect(positions.count == 499)
        #expect(try await storedRecordCount(bootstrap: cluster.bootstrapServers, topic: "raw.orders.v1") == 499)
        let sample = try results[200].get()
        let record = try #require(try await readRecord(bootstrap: cluster.bootstrapServers, topic: "raw.orders.v1", partition: sample.partition, offset: sample.offset))
        #expect(record.value == Array(#"{"n":200}"#.utf8))
        #expect(await producer.produceAll([]).isEmpty)
    }

    @Test("librdkafka's own statistics parse: three brokers by node id, the produced messages counted")
    func statisticsFromLibrdkafkaParse() async throws {
        // The default statistics.interval.ms (2 s) is what the gateway runs with.
        let (cluster, producer) = try makeClusterAndProducer()
        defer {
            producer.stopPolling()
            withExtendedLifetime(cluster) {}
        }
        _ = try await producer.produce(topic: "raw.orders.v1", key: Array("1001".utf8), value: Array("{}".utf8))
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline, (producer.statistics?.transmittedMessages ?? 0) < 1 {
            try await Task.sleep(for: .milliseconds(50))
        }
        let statistics = try #require(producer.statistics)
        #expect(statistics.transmittedMessages >= 1)
        #expect(statistics.timestampMicros > 0)
        #expect(statistics.brokers.map(\.nodeID) == [1, 2, 3])
        #expect(statistics.brokers.allSatisfy { $0.state != "UNKNOWN" })  // read from each broker's "state"
    }

    @Test("messages with the same key always land on the same partition")
    func sameKeySamePartition() async throws {
        let (cluster, producer) = try makeClusterAndProducer()
        defer {
            producer.stopPolling()
            withExtendedLifetime(cluster) {}
        }
        var partitionsByKey: [String: Set<Int32>] = [:]
        for round in 0..<5 {
            for user in 1...20 {
                let report = try await producer.produce(
                    topic: "raw.clicks.v1", key: Array("\(user)".utf8), value: Array("r\(round)".utf8)
                )
                partitionsByKey["\(user)", default: []].insert(report.partition)
            }
        }
        #expect(partitionsByKey.count == 20)
        #expect(partitionsByKey.values.allSatisfy { $0.count == 1 })
        // 20 keys over 6 partitions: the partitioner spreads them.
        #expect(Set(partitionsByKey.values.flatMap { $0 }).count > 1)
    }

    @Test("the admin sees the topics with their partition counts")
    func adminDescribesTopics() async throws {
        let cluster = try EmbeddedCluster(brokers: 3, topics: testTopics, logger: testLogger)
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers), logger: testLogger)
        let metadata = try await admin.metadata(timeout: .seconds(5))
        #expect(metadata.brokers.map(\.id).sorted() == [1, 2, 3])
        #expect(metadata.topic(named: "raw.orders.v1")?.partitions.count == 3)
        #expect(metadata.topic(named: "raw.clicks.v1")?.partitions.count == 6)
        #expect(metadata.topic(named: "raw.clicks.v1")?.partitions.allSatisfy { $0.leader >= 1 } == true)
    }

    @Test("CreateTopics against the embedded cluster fails within its deadline instead of hanging")
    func createTopicsFailsFast() async throws {
        let cluster = try EmbeddedCluster(brokers: 3, topics: testTopics, logger: testLogger)
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers), logger: testLogger)
        let started = ContinuousClock.now
        await #expect(throws: KafkaError.self) {
            _ = try await admin.createTopics([TopicSpec(name: "new.topic.v1", partitions: 2, replicationFactor: 1)], timeout: .seconds(2))
        }
        #expect(ContinuousClock.now - started < .seconds(15))
    }

    @Test("watermarks count the stored records")
    func watermarksCountRecords() async throws {
        let (cluster, producer) = try makeClusterAndProducer()
        defer { producer.stopPolling() }
        for index in 0..<25 {
            _ = try await producer.produce(topic: "raw.clicks.v1", key: Array("\(index)".utf8), value: [1, 2, 3])
        }
        #expect(try await storedRecordCount(bootstrap: cluster.bootstrapServers, topic: "raw.clicks.v1") == 25)
    }

    @Test("an unknown property is a configuration error naming it")
    func unknownPropertyIsRejected() throws {
        #expect {
            _ = try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: "127.0.0.1:1", producer: ["no.such.property": "1"]), logger: testLogger)
        } throws: { error in
            guard let error = error as? KafkaError else { return false }
            return error.code == .configuration && error.message.contains("no.such.property")
        }
    }

    @Test("a secret property value never appears in the configuration error")
    func secretsAreRedactedInErrors() throws {
        #expect {
            _ = try KafkaProducer(
                configuration: KafkaConfiguration(bootstrapServers: "127.0.0.1:1", common: ["sasl.password": "hunter2", "acks": "bogus"]),
                logger: testLogger
            )
        } throws: { error in
            !String(describing: error).contains("hunter2")
        }
    }

    @Test("a produce to a cluster whose brokers are all down fails with a delivery time-out, not a hang")
    func deliveryTimesOutWhenBrokersAreDown() async throws {
        let (cluster, producer) = try makeClusterAndProducer(producerProperties: ["message.timeout.ms": "1500"])
        defer { producer.stopPolling() }
        _ = try await producer.produce(topic: "raw.orders.v1", key: [1], value: [1])
        for broker in cluster.brokerIDs { try cluster.setBrokerDown(broker) }
        do {
            _ = try await producer.produce(topic: "raw.orders.v1", key: [1], value: [2])
            Issue.record("produce succeeded with every broker down")
        } catch {
            #expect(error.code == .delivery)
            #expect(error.rdKafkaName == "MSG_TIMED_OUT")
        }
    }
}
