@testable import FlowGuardKafka
import Foundation
import Testing

@Suite("Kafka consumer groups, offsets and times against the embedded cluster")
struct KafkaConsumerGroupTests {
    @Test("offsets for times: the first record at or after the time; the high watermark past the last")
    func offsetsForTimes() async throws {
        let (cluster, producer) = try makeClusterAndProducer(topics: [TopicSpec(name: "times", partitions: 1, replicationFactor: 1)])
        defer { producer.stopPolling() }
        for index in 0..<10 {
            _ = try await producer.produce(topic: "times", key: Array("k".utf8), value: Array("\(index)".utf8))
        }
        // The next records carry a later millisecond than every earlier one.
        try await Task.sleep(for: .milliseconds(20))
        for index in 10..<20 {
            _ = try await producer.produce(topic: "times", key: Array("k".utf8), value: Array("\(index)".utf8))
        }
        let tenth = try #require(try await readRecord(bootstrap: cluster.bootstrapServers, topic: "times", partition: 0, offset: 10))
        let time = try #require(tenth.timestampMillis)
        let partition = TopicPartition(topic: "times", partition: 0)
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers), logger: testLogger)
        #expect(try await admin.offsets(forTimes: [partition: time], timeout: .seconds(5)) == [partition: 10])
        #expect(try await admin.offsets(forTimes: [partition: 0], timeout: .seconds(5)) == [partition: 0])
        #expect(try await admin.offsets(forTimes: [partition: time + 3_600_000], timeout: .seconds(5)) == [partition: 20])
    }

    @Test("explicit commits are what the group reads back; a partition never committed is absent")
    func commitAndCommitted() async throws {
        let (cluster, producer) = try makeClusterAndProducer()
        defer { producer.stopPolling() }
        let configuration = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        let writer = try KafkaConsumer(configuration: configuration, groupID: "reset-me", autoCommit: false, logger: testLogger)
        let orders = (0..<3).map { TopicPartition(topic: "raw.orders.v1", partition: Int32($0)) }
        #expect(try await writer.committed(orders, timeout: .seconds(5)).isEmpty)
        try await writer.commit([orders[0]: 7, orders[2]: 0])
        let reader = try KafkaConsumer(configuration: configuration, groupID: "reset-me", autoCommit: false, logger: testLogger)
        #expect(try await reader.committed(orders, timeout: .seconds(5)) == [orders[0]: 7, orders[2]: 0])
        // A commit sent without waiting (the dumper's) is answered later, and read back the same.
        let pending = try writer.startCommit([orders[1]: 3, orders[2]: 5])
        try await pending.answer()
        #expect(try await reader.committed(orders, timeout: .seconds(5)) == [orders[0]: 7, orders[1]: 3, orders[2]: 5])
        let other = try KafkaConsumer(configuration: configuration, groupID: "another", autoCommit: false, logger: testLogger)
        #expect(try await other.committed(orders, timeout: .seconds(5)).isEmpty)
    }

    @Test("a group consumer reports its assignment, then gives half up when a second member joins")
    func rebalanceEvents() async throws {
        let (cluster, producer) = try makeClusterAndProducer()
        defer { producer.stopPolling() }
        let configuration = KafkaConfiguration(
            bootstrapServers: cluster.bootstrapServers,
            consumer: ["session.timeout.ms": "6000", "heartbeat.interval.ms": "500"]
        )
        let clicks = (0..<6).map { TopicPartition(topic: "raw.clicks.v1", partition: Int32($0)) }
        let first = try KafkaConsumer(configuration: configuration, groupID: "rebalance", autoCommit: false, logger: testLogger)
        try first.subscribe(topics: ["raw.clicks.v1"])
        #expect(try await nextRebalance(first) == .assigned(clicks))
        #expect(try first.assignment() == clicks)

        let second = try KafkaConsumer(configuration: configuration, groupID: "rebalance", autoCommit: false, logger: testLogger)
        try second.subscribe(topics: ["raw.clicks.v1"])
        // Both must poll for the group to rebalance: the second joins while the first gives all up.
        async let secondFirstEvent = nextRebalance(second)
        #expect(try await nextRebalance(first) == .revoked(clicks))
        // Under load the group may pass through a generation more (a member's join arriving after the
        // others' sync gives the whole topic to one of them, then rebalances again): what must hold is
        // where it settles, each member with half and none shared.
        var mine: [TopicPartition] = []
        var theirs: [TopicPartition] = []
        if case .assigned(let partitions)? = try await secondFirstEvent { theirs = partitions }
        let deadline = ContinuousClock.now + .seconds(30)
        while !(mine.count == 3 && theirs.count == 3) && ContinuousClock.now < deadline {
            async let firstEvent = first.nextEvent(timeout: .milliseconds(50))
            async let secondEvent = second.nextEvent(timeout: .milliseconds(50))
            switch try await firstEvent {
            case .assigned(let partitions)?: mine = partitions
            case .revoked?: mine = []
            default: break
            }
            switch try await secondEvent {
            case .assigned(let partitions)?: theirs = partitions
            case .revoked?: theirs = []
            default: break
            }
        }
        #expect(mine.count == 3 && theirs.count == 3, "settled at \(mine) and \(theirs)")
        #expect(Set(mine).union(theirs) == Set(clicks))
        #expect(try first.assignment() == mine)
    }

    @Test("a record produced to an assigned partition comes as an event after the assignment; paused partitions yield none")
    func recordsAndPause() async throws {
        let (cluster, producer) = try makeClusterAndProducer()
        defer { producer.stopPolling() }
        let configuration = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers, consumer: ["session.timeout.ms": "6000"])
        let consumer = try KafkaConsumer(configuration: configuration, groupID: "records", autoCommit: false, logger: testLogger)
        try consumer.subscribe(topics: ["raw.orders.v1"])
        guard case .assigned(let partitions) = try await nextRebalance(consumer) else {
            Issue.record("expected the assignment first")
            return
        }
        // Paused before the record exists, so no fetch can have brought it already.
        try consumer.pause(partitions)
        let report = try await producer.produce(topic: "raw.orders.v1", key: Array("u1".utf8), value: Array("v".utf8))
        #expect(try await nextRecord(consumer, within: .seconds(1)) == nil)
        try consumer.resume(partitions)
        let record = try #require(try await nextRecord(consumer, within: .seconds(10)))
        #expect(record.offset == report.offset && record.partition == report.partition)
    }

    @Test("a partition given up while paused is read again when the group assigns it back")
    func pauseEndsAtRevocation() async throws {
        let (cluster, producer) = try makeClusterAndProducer()
        defer { producer.stopPolling() }
        let configuration = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers, consumer: ["session.timeout.ms": "6000"])
        let consumer = try KafkaConsumer(configuration: configuration, groupID: "paused-rebalance", autoCommit: false, logger: testLogger)
        try consumer.subscribe(topics: ["raw.orders.v1"])
        guard case .assigned(let orders) = try await nextRebalance(consumer) else {
            Issue.record("expected the assignment first")
            return
        }
        try consumer.pause(orders)
        // A wider subscription makes the group take every partition back and assign them again, as a
        // member leaving or joining does.
        try consumer.subscribe(topics: ["raw.orders.v1", "raw.clicks.v1"])
        #expect(try await nextRebalance(consumer) == .revoked(orders))
        // Paused again once given up, as a reader still handling records polled before the
        // revocation may do: the assignment clears that too.
        try consumer.pause(orders)
        guard case .assigned(let all) = try await nextRebalance(consumer) else {
            Issue.record("expected the new assignment")
            return
        }
        #expect(Set(orders).isSubset(of: all))
        let report = try await producer.produce(topic: "raw.orders.v1", key: Array("u1".utf8), value: Array("v".utf8))
        let record = try #require(try await nextRecord(consumer, within: .seconds(10)))
        #expect(record.topic == "raw.orders.v1" && record.offset == report.offset && record.partition == report.partition)
    }

    @Test("listing groups on the embedded cluster, which does not answer ListGroups, fails fast as unsupported")
    func listGroupsUnsupported() async throws {
        let (cluster, producer) = try makeClusterAndProducer()
        defer { producer.stopPolling() }
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers), logger: testLogger)
        let error = await #expect(throws: KafkaError.self) { try await admin.listGroups(timeout: .seconds(3)) }
        #expect(error?.code == .unsupported)
        #expect(error?.rdKafkaName == "UNSUPPORTED_FEATURE")
    }

    @Test("a consumer-protocol assignment decodes to its partitions; a truncated one to what was read")
    func assignmentDecoding() {
        // version 1; topics: "ab" [0, 2], "c" [5]; 4 bytes of user data
        let bytes: [UInt8] = [0, 1, 0, 0, 0, 2, 0, 2, 97, 98, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1, 99, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 0]
        #expect(ConsumerGroup.Member.decodeAssignment(bytes) == [
            TopicPartition(topic: "ab", partition: 0), TopicPartition(topic: "ab", partition: 2), TopicPartition(topic: "c", partition: 5),
        ])
        #expect(ConsumerGroup.Member.decodeAssignment(Array(bytes.prefix(18))) == [TopicPartition(topic: "ab", partition: 0)])
        #expect(ConsumerGroup.Member.decodeAssignment([]) == [])
    }
}

/// The next rebalance event, skipping records; fails after 20 s.
private func nextRebalance(_ consumer: KafkaConsumer) async throws -> KafkaConsumer.Event? {
    let deadline = ContinuousClock.now + .seconds(20)
    while ContinuousClock.now < deadline {
        switch try await consumer.nextEvent(timeout: .milliseconds(100)) {
        case .assigned(let partitions): return .assigned(partitions)
        case .revoked(let partitions): return .revoked(partitions)
        case .record, nil: continue
        }
    }
    return nil
}

/// The next record event, or nil after `within`.
private func nextRecord(_ consumer: KafkaConsumer, within: Duration) async throws -> KafkaRecord? {
    let deadline = ContinuousClock.now + within
    while ContinuousClock.now < deadline {
        if case .record(let record) = try await consumer.nextEvent(timeout: .milliseconds(100)) { return record }
    }
    return nil
}
