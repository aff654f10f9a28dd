@testable import FlowGuardAttribution
@testable import FlowGuardEvents
import FlowGuardJSON
@testable import FlowGuardKafka
import Foundation
import Testing

private let attributionTopics = shippedTopics

/// Every record of a topic, read from the beginning to its end.
private func readAll(bootstrap: String, topic: String, partitions: Int32) async throws -> [KafkaRecord] {
    let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: bootstrap), logger: testLogger)
    let consumer = try KafkaConsumer(configuration: KafkaConfiguration(bootstrapServers: bootstrap), logger: testLogger)
    var ends: [Int32: Int64] = [:]
    for partition in 0..<partitions {
        ends[partition] = try await admin.watermarks(topic: topic, partition: partition, timeout: .seconds(5)).high
    }
    try consumer.assign((0..<partitions).map { .init(topic: topic, partition: $0, offset: .beginning) })
    var records: [KafkaRecord] = []
    var positions: [Int32: Int64] = [:]
    let deadline = ContinuousClock.now + .seconds(30)
    while ends.contains(where: { positions[$0.key, default: 0] < $0.value }) && ContinuousClock.now < deadline {
        guard let record = try await consumer.poll(timeout: .milliseconds(200)) else { continue }
        positions[record.partition] = record.offset + 1
        records.append(record)
    }
    await consumer.close()
    return records
}

private func event(_ kind: EventKind, _ id: String, user: Int64, at millis: Int64, ad: String = "ad_1") -> ValidatedEvent {
    let details: ValidatedEvent.Details =
        kind == .order
        ? .order(.init(orderID: "ORD-\(id)", itemID: 3, itemName: "Dosa", price: JSONNumber(lexeme: "120.00")!))
        : .ad(.init(adID: ad, isClick: kind == .click, adType: "video"))
    return ValidatedEvent(kind: kind, eventID: id, userID: user, clientTimestampMillis: millis, details: details)
}

private func alreadyCount(_ job: AttributionJob) -> Int {
    let line = job.metrics.exposition().split(separator: "\n").first { $0.hasPrefix("flowguard_attribution_already_credited_total ") }
    return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
}

@Suite("attribute: the job against the embedded cluster")
struct AttributionJobTests {
    @Test("an order whose record a killed instance wrote but never committed is skipped, not credited twice; the rest are credited once")
    func readsItsOwnOutputBack() async throws {
        let (cluster, producer) = try makeClusterAndProducer(topics: attributionTopics)
        defer { producer.stopPolling() }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var orders: [(event: ValidatedEvent, report: DeliveryReport)] = []
        for user in Int64(1)...12 {
            _ = try await producer.produce(event(.click, "c\(user)", user: user, at: now - 60_000, ad: "ad_\(user)").kafkaRecord(requestID: "r", receivedAtMillis: now))
            let order = event(.order, "o\(user)", user: user, at: now - 30_000)
            orders.append((order, try await producer.produce(order.kafkaRecord(requestID: "r", receivedAtMillis: now))))
        }
        let probe = event(.order, "flowguard-probe-0001", user: 5, at: now)
        _ = try await producer.produce(probe.kafkaRecord(requestID: "r", receivedAtMillis: now))
        // What an instance killed between writing and committing leaves: the first order's record, credited to nothing.
        let (written, writtenReport) = orders[0]
        let writtenOrder = try InputDecoding.order(
            from: KafkaRecord(
                topic: "raw.orders.v1", partition: writtenReport.partition, offset: writtenReport.offset, timestampMillis: now, key: written.key,
                value: written.value(receivedAtMillis: now), headers: []
            )
        )
        _ = try await producer.produce(AttributedOrder(order: writtenOrder, attribution: .unattributed).record(topic: "attributed.orders.v1"))

        let job = AttributionJob(
            configuration: AttributionJobConfiguration(
                kafka: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers, consumer: ["session.timeout.ms": "6000"]),
                windows: AttributionWindows(allowedLateness: .milliseconds(300))
            ),
            logger: testLogger
        )
        let running = Task { try await job.run() }
        let deadline = ContinuousClock.now + .seconds(60)
        while try await storedRecordCount(bootstrap: cluster.bootstrapServers, topic: "attributed.orders.v1") < 12 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        // A little longer, so that a second record for the first order would have been written.
        try await Task.sleep(for: .seconds(1))
        running.cancel()
        try await running.value

        let output = try await readAll(bootstrap: cluster.bootstrapServers, topic: "attributed.orders.v1", partitions: 3)
        #expect(output.count == 12)
        var bySource: [String: JSONObject] = [:]
        for record in output {
            guard case .object(let object) = try JSONParser.parse(record.value ?? []), case .number(let partition)? = object["source_partition"],
                case .number(let offset)? = object["source_offset"]
            else { Issue.record("unreadable output"); continue }
            bySource["\(partition)@\(offset)"] = object
            #expect(record.partition == Int32(partition.integralValue ?? -1))
        }
        #expect(bySource.count == 12)
        #expect(bySource["\(writtenReport.partition)@\(writtenReport.offset)"]?["attribution_model"] == .string("none"))
        for (order, report) in orders.dropFirst() {
            let object = try #require(bySource["\(report.partition)@\(report.offset)"])
            #expect(object["attribution_model"] == .string("last_click"))
            #expect(object["credited_event_id"] == .string("c\(order.userID)"))
            #expect(object["time_to_convert_ms"] == .number(JSONNumber(30_000)))
        }
        #expect(job.metrics.orders(.lastClick) == 11)
        #expect(job.metrics.exposition().contains("flowguard_attribution_already_credited_total 1\n"))
        #expect(job.metrics.exposition().contains("flowguard_attribution_probe_orders_total 1\n"))
    }

    @Test("with transactions on the embedded cluster (which keeps no offsets committed in one), a second run reads its output back and writes nothing twice")
    func transactionsOnTheEmbeddedCluster() async throws {
        let (cluster, producer) = try makeClusterAndProducer(topics: attributionTopics)
        defer { producer.stopPolling() }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        for user in Int64(1)...9 {
            _ = try await producer.produce(event(.impression, "i\(user)", user: user, at: now - 20_000).kafkaRecord(requestID: "r", receivedAtMillis: now))
            _ = try await producer.produce(event(.order, "o\(user)", user: user, at: now - 10_000).kafkaRecord(requestID: "r", receivedAtMillis: now))
        }
        let configuration = AttributionJobConfiguration(
            kafka: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers, consumer: ["session.timeout.ms": "6000"]),
            windows: AttributionWindows(allowedLateness: .milliseconds(300)), transactional: true
        )
        var alreadyCredited: [Int] = []
        for _ in 0..<2 {
            let job = AttributionJob(configuration: configuration, logger: testLogger)
            let running = Task { try await job.run() }
            let deadline = ContinuousClock.now + .seconds(60)
            while job.metrics.orders(.viewThrough) + alreadyCount(job) < 9 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            running.cancel()
            try await running.value
            alreadyCredited.append(alreadyCount(job))
        }
        #expect(alreadyCredited == [0, 9])
        let output = try await readAll(bootstrap: cluster.bootstrapServers, topic: "attributed.orders.v1", partitions: 3)
        #expect(output.count == 9)
    }

    @Test("the job refuses topics whose partitions do not line up, and says why")
    func refusesMisalignedTopics() async throws {
        let (cluster, producer) = try makeClusterAndProducer(
            topics: testTopics + [TopicSpec(name: "attributed.orders.v1", partitions: 4, replicationFactor: 2)]
        )
        defer { producer.stopPolling() }
        let job = AttributionJob(
            configuration: AttributionJobConfiguration(kafka: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)), logger: testLogger
        )
        await #expect { try await job.run() } throws: { error in
            "\(error)".contains("attributed.orders.v1 has 4 partitions and raw.orders.v1 3")
        }
    }
}
