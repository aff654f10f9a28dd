@testable import FlowGuardCLI
@testable import FlowGuardJSON
@testable import FlowGuardKafka
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// Runs `body` with the port of a gateway served on a real socket, on a fresh embedded cluster.
private func withLiveGateway(_ body: @escaping @Sendable (_ port: Int, _ cluster: EmbeddedCluster) async throws -> Void) async throws {
    let harness = try await GatewayHarness()
    let cluster = harness.cluster
    let app = Application(router: harness.router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    try await app.test(.live) { client in
        try await body(try #require(client.port), cluster)
    }
    harness.producer.stopPolling()
    withExtendedLifetime(cluster) {}
}

/// Reads `count` records from the beginning of both event topics.
private func readRecords(bootstrap: String, count: Int) async throws -> [KafkaRecord] {
    let consumer = try KafkaConsumer(configuration: KafkaConfiguration(bootstrapServers: bootstrap), logger: testLogger)
    try consumer.assign(testTopics.flatMap { topic in
        (0..<Int32(topic.partitions)).map { KafkaConsumer.Assignment(topic: topic.name, partition: $0, offset: .beginning) }
    })
    var records: [KafkaRecord] = []
    let deadline = ContinuousClock.now + .seconds(15)
    while records.count < count && ContinuousClock.now < deadline {
        if let record = try await consumer.poll(timeout: .milliseconds(200)) { records.append(record) }
    }
    await consumer.close()
    return records
}

private func jsonFile(_ path: URL) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: Any])
}

/// The members of a record's JSON value, without the two receive-time members.
private func valueWithoutTimes(_ record: KafkaRecord) throws -> [(key: String, value: JSONValue)] {
    guard case .object(let object) = try JSONParser.parse(try #require(record.value)) else {
        Issue.record("the value is not a JSON object")
        return []
    }
    return object.entries.filter { $0.key != "timestamp" && $0.key != "received_at" }
}

@Suite("simulate: the command, against a live gateway, an error gateway and Kafka", .serialized)
struct SimulatorCommandTests {
    @Test("a run against the live gateway leaves exactly the acknowledged events in Kafka, and writes the JSON report and the histogram")
    func gatewayRunStoresTheAcknowledgedEvents() async throws {
        let directory = try makeWorkingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let reportPath = directory.appendingPathComponent("report.json")
        let histogramPath = directory.appendingPathComponent("latency.hgrm")
        nonisolated(unsafe) var histogramCount = 0
        try await withLiveGateway { port, cluster in
            // What reaches Kafka is exactly what was acknowledged. How many of the 200 were sent on time
            // depends on how busy the machine is (events still unsent after the grace period count as
            // not sent), so the counts are checked for consistency, not against a timing. When every
            // suite runs at once, this process's two executor threads can be busy for the whole second
            // and its grace period, so that nothing is sent: such a run proves nothing and is repeated
            // (at most three times; nothing was produced, so the same seed is safe).
            var result: (code: Int32, out: String, err: String) = (0, "", "")
            var report: [String: Any] = [:]
            for _ in 1...3 {
                result = try await runCommand(
                    SimulateCommand.self,
                    [
                        "--target", "http://127.0.0.1:\(port)", "--rate", "200", "--duration", "1s", "--seed", "21",
                        "--ctr", "0.25", "--cvr", "0.4", "--progress", "off",
                        "--output", reportPath.path, "--histogram", histogramPath.path,
                    ],
                    directory: directory
                )
                report = try jsonFile(reportPath)
                if report["sent"] as? Int != 0 { break }
            }
            #expect(report["planned"] as? Int == 200)
            let sent = try #require(report["sent"] as? Int)
            let acknowledged = try #require(report["acknowledged"] as? Int)
            let notSent = try #require(report["not_sent"] as? Int)
            #expect(report["failed"] as? Int == 0)
            #expect(sent + notSent == 200)
            #expect(acknowledged == sent)
            #expect(acknowledged > 0)
            #expect(result.out.contains("\(sent) sent of 200 planned"))
            #expect(result.code == 0, "\(result.out)\(result.err)")
            let byType = try #require(report["acknowledged_events"] as? [String: Int])
            let orders = try await storedRecordCount(bootstrap: cluster.bootstrapServers, topic: "raw.orders.v1")
            let clicks = try await storedRecordCount(bootstrap: cluster.bootstrapServers, topic: "raw.clicks.v1")
            #expect(orders == Int64(byType["order", default: 0]))
            #expect(clicks == Int64(byType["click", default: 0] + byType["impression", default: 0]))
            #expect(orders + clicks == Int64(acknowledged))
            let latency = try #require(report["latency_ms"] as? [String: Any])
            #expect(latency["count"] as? Int == acknowledged)
            #expect((latency["p99"] as? Double ?? 0) > 0)
            histogramCount = acknowledged
        }
        let histogram = try String(contentsOf: histogramPath, encoding: .utf8)
        #expect(histogram.hasPrefix("       Value     Percentile TotalCount 1/(1-Percentile)\n\n"))
        #expect(histogram.contains("#[Max     ="))
        #expect(histogram.contains("Total count    = \(String(repeating: " ", count: max(0, 12 - String(histogramCount).count)))\(histogramCount)]"))
    }

    @Test("rate control: 50/s for 2 s schedules and sends between 95 and 105 events")
    func rateControlAtLowRate() async throws {
        let directory = try makeWorkingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let reportPath = directory.appendingPathComponent("report.json")
        try await withLiveGateway { port, _ in
            let result = try await runCommand(
                SimulateCommand.self,
                ["--target", "http://127.0.0.1:\(port)", "--rate", "50", "--duration", "2s", "--progress", "off", "--output", reportPath.path],
                directory: directory
            )
            #expect(result.code == 0, "\(result.out)")
            let report = try jsonFile(reportPath)
            let sent = try #require(report["sent"] as? Int)
            #expect((95...105).contains(sent))
            #expect(report["acknowledged"] as? Int == sent)
        }
    }

    @Test("a gateway that answers 503 makes the exit code 1; --max-error-rate 1 tolerates it")
    func errorAnswersFailTheRun() async throws {
        let directory = try makeWorkingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let router = Router()
        router.post("/api/v1/orders") { _, _ in Response(status: .serviceUnavailable) }
        router.post("/api/v1/clicks") { _, _ in Response(status: .serviceUnavailable) }
        router.post("/api/v1/clicks/impression") { _, _ in Response(status: .serviceUnavailable) }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let arguments = ["--target", "http://127.0.0.1:\(port)", "--rate", "40", "--duration", "0.5s", "--progress", "off", "--seed", "1"]
            let failing = try await runCommand(SimulateCommand.self, arguments, directory: directory)
            #expect(failing.code == 1)
            #expect(failing.out.contains("20 × 503"))
            #expect(failing.out.contains("20 of 20 outcomes (100.00 %), --max-error-rate 0: FAIL"))

            let tolerated = try await runCommand(SimulateCommand.self, arguments + ["--max-error-rate", "1"], directory: directory)
            #expect(tolerated.code == 0)
        }
    }

    @Test("--warm-connections sends that many GET / before the schedule (default: --concurrency, at most 64; 0: none)")
    func warmConnections() async throws {
        let directory = try makeWorkingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let warmUps = WarmUpCounter()
        let router = Router()
        router.get("/") { _, _ in
            warmUps.count.add(1, ordering: .relaxed)
            return Response(status: .ok)
        }
        for path in ["/api/v1/orders", "/api/v1/clicks", "/api/v1/clicks/impression"] {
            router.post(RouterPath(path)) { _, _ in Response(status: .accepted) }
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let arguments = ["--target", "http://127.0.0.1:\(port)", "--rate", "20", "--duration", "0.3s", "--progress", "off", "--seed", "1"]
            for (extra, expected) in [(["--warm-connections", "5"], 5), (["--warm-connections", "0"], 5), (["--concurrency", "3"], 8)] {
                let result = try await runCommand(SimulateCommand.self, arguments + extra, directory: directory)
                #expect(result.code == 0, "\(extra): \(result.out)")
                #expect(result.out.contains("6 × 202"), "\(extra): \(result.out)")
                #expect(warmUps.count.load(ordering: .relaxed) == expected, "\(extra)")
            }
        }
    }

    @Test("nothing listening counts as connect errors and exits 1")
    func unreachableGateway() async throws {
        let directory = try makeWorkingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await runCommand(
            SimulateCommand.self, ["--target", "http://127.0.0.1:9", "--rate", "10", "--duration", "0.3s", "--progress", "off", "--timeout", "2s"],
            directory: directory
        )
        #expect(result.code == 1)
        #expect(result.out.contains("3 × connect"), "\(result.out)")
    }

    @Test("--target kafka writes the same records as the gateway for the same seed: topic, partition, key, headers and value but for the receive times")
    func kafkaTargetMatchesGateway() async throws {
        let directory = try makeWorkingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let direct = try EmbeddedCluster(brokers: 3, topics: testTopics, logger: testLogger)
        let arguments = ["--rate", "100", "--duration", "0.6s", "--seed", "77", "--ctr", "0.3", "--cvr", "0.5", "--progress", "off"]
        let viaGateway = Mutex<[KafkaRecord]>([])
        try await withLiveGateway { port, cluster in
            let result = try await runCommand(SimulateCommand.self, arguments + ["--target", "http://127.0.0.1:\(port)"], directory: directory)
            #expect(result.code == 0, "\(result.out)")
            let records = try await readRecords(bootstrap: cluster.bootstrapServers, count: 60)
            viaGateway.withLock { $0 = records }
        }
        let result = try await runCommand(SimulateCommand.self, arguments + ["--target", "kafka", "--bootstrap", direct.bootstrapServers], directory: directory)
        #expect(result.code == 0, "\(result.out)")
        #expect(result.out.contains("60 × ack"))
        #expect(result.out.contains("to kafka (\(direct.bootstrapServers))"))
        let directRecords = try await readRecords(bootstrap: direct.bootstrapServers, count: 60)

        func byEventID(_ records: [KafkaRecord]) -> [String: KafkaRecord] {
            Dictionary(uniqueKeysWithValues: records.map { ($0.header("request_id")?.stringValue ?? "", $0) })
        }
        let gatewayRecords = byEventID(viaGateway.withLock { $0 })
        let kafkaRecords = byEventID(directRecords)
        #expect(gatewayRecords.count == 60)
        #expect(Set(gatewayRecords.keys) == Set(kafkaRecords.keys))
        #expect(Set(kafkaRecords.values.map(\.topic)) == ["raw.orders.v1", "raw.clicks.v1"])
        for (eventID, expected) in gatewayRecords {
            let actual = try #require(kafkaRecords[eventID])
            #expect(actual.topic == expected.topic)
            #expect(actual.partition == expected.partition)
            #expect(actual.key == expected.key)
            #expect(actual.headers == expected.headers)
            let expectedValue = try valueWithoutTimes(expected)
            let actualValue = try valueWithoutTimes(actual)
            #expect(actualValue.map(\.key) == expectedValue.map(\.key))
            #expect(JSONObject(actualValue) == JSONObject(expectedValue), "\(eventID)")
            // The key is the user id, and the headers name the event type and the schema.
            guard case .number(let userID) = JSONObject(actualValue)["user_id"] else {
                Issue.record("no user_id in \(eventID)")
                continue
            }
            #expect(actual.key == Array(userID.lexeme.utf8))
            #expect(actual.header("schema")?.stringValue == actual.topic)
            #expect(JSONObject(actualValue)["event_type"] == .string(actual.header("event_type")?.stringValue ?? "-"))
        }
        withExtendedLifetime(direct) {}
    }

    @Test("--target kafka without a cluster fails with the usual one-line cause")
    func kafkaTargetWithoutCluster() async throws {
        let directory = try makeWorkingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await runCommand(SimulateCommand.self, ["--target", "kafka"], directory: directory)
        #expect(result.code == 1)
        #expect(result.err.contains("no Kafka cluster"))
    }

    @Test("bad options exit 64 naming the option")
    func usageErrors() async {
        let cases: [([String], String)] = [
            (["--rate", "fast"], "--rate"),
            (["--rate", "0"], "--rate"),
            (["--duration", "soon"], "--duration"),
            (["--profile", "zigzag"], "--profile"),
            (["--mix", "order"], "did you mean 'orders'?"),
            (["--target", "ftp://example"], "--target"),
            (["--target", "localhost:8000"], "--target"),
            (["--ctr", "1.5"], "--ctr"),
            (["--cvr", "-0.1"], "--cvr"),
            (["--concurrency", "0"], "--concurrency"),
            (["--users", "0"], "--users"),
            (["--seed", "-3"], "--seed"),
            (["--max-error-rate", "2"], "--max-error-rate"),
            (["--progress", "fancy"], "--progress"),
            (["--bootstrap", "127.0.0.1:9092"], "--bootstrap"),
            (["--warm-connections", "-1"], "--warm-connections"),
            (["--target", "kafka", "--warm-connections", "2"], "--warm-connections applies only to an HTTP target"),
            (["--rat", "5"], "did you mean '--rate'?"),
            (["now"], "unexpected argument 'now'"),
        ]
        for (arguments, expected) in cases {
            let result = await runCLI(["simulate"] + arguments)
            #expect(result.code == 64, "\(arguments)")
            #expect(result.err.contains(expected), "\(arguments): \(result.err)")
        }
    }

    @Test("Ctrl-C stops the binary early; it still prints the report and exits on the error rate")
    func interruptStillReports() async throws {
        let directory = try makeWorkingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await withLiveGateway { port, _ in
            let child = try ChildProcess(
                ["simulate", "--target", "http://127.0.0.1:\(port)", "--rate", "20", "--duration", "60s", "--progress", "lines"],
                directory: directory
            )
            try await Task.sleep(for: .milliseconds(1500))
            child.signal(SIGINT)
            let started = ContinuousClock.now
            let code = await child.wait(timeout: .seconds(15))
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(code == 0)
            let output = child.output
            #expect(output.contains("stopped early after"), "\(output)")
            #expect(output.contains("× 202"))
            #expect(output.contains("--max-error-rate 0: pass"))
        }
    }
}

/// Counts the warm-up requests a test server received.
private final class WarmUpCounter: Sendable {
    let count = Atomic<Int>(0)
}
