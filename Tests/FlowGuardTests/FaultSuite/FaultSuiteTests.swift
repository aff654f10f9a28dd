import AsyncHTTPClient
@testable import FlowGuardGateway
@testable import FlowGuardKafka
@testable import FlowGuardSupport
import Foundation
import Testing

/// Drives real HTTP load at a gateway process while faults are injected into the embedded cluster
/// (held by the test process, so records outlive the gateway), then reads both topics back
/// completely and checks every answer. `FLOWGUARD_FAULT_LONG=1` runs each scenario 5 times longer;
/// `FLOWGUARD_RELIABILITY_REPORT=FILE` appends the figures (see `make reliability`).
@Suite("Fault suite: nothing acknowledged is lost", .serialized)
struct FaultSuiteTests {
    static let scale: Double = ProcessInfo.processInfo.environment["FLOWGUARD_FAULT_LONG"] == nil ? 1 : 5

    static func scaled(_ duration: Duration) -> Duration { duration * scale }

    struct Run {
        var result: ScenarioResult
        var answers: [LoadAnswer]
        var health: HealthRecorder
        var gateway: ChildProcess
        var exitCode: Int32
        var peakRSSKiB: Int
        /// The gateway's `/metrics` after the load, in both forms: the Prometheus text, and the JSON
        /// with librdkafka's statistics under `librdkafka` (taken after the next statistics interval).
        var metrics: GatewayMetricsSnapshot
    }

    /// Runs one scenario; `during` injects faults while the load runs.
    static func scenario(
        _ name: String,
        gatewayArguments: [String] = [],
        deliveryTimeout: String = "8s",
        concurrency: Int = 16,
        count: Int? = nil,
        duration: Duration? = nil,
        retryEveryEvent: Bool = false,
        allowUnanswered: Bool = false,
        before: (EmbeddedCluster) throws -> Void = { _ in },
        during: @escaping @Sendable (EmbeddedCluster, ChildProcess) async throws -> Void = { _, _ in }
    ) async throws -> Run {
        let cluster = try EmbeddedCluster(brokers: 3, topics: testTopics, logger: testLogger)
        try before(cluster)
        let directory = try makeWorkingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try GatewayProcessTests.freePort()
        let gateway = try ChildProcess(
            [
                "start-gateway", "--host", "127.0.0.1", "--port", "\(port)", "--bootstrap", cluster.bootstrapServers,
                "--delivery-timeout", deliveryTimeout, "--log-level", "error", "--access-log", "off",
            ] + gatewayArguments,
            directory: directory
        )
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = concurrency
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        guard await GatewayProcessTests.waitForHealthy(client, port: port) else {
            gateway.signal(SIGKILL)
            try await client.shutdown()
            throw CommandFailure("\(name): the gateway did not become healthy: \(gateway.errorOutput)")
        }
        let health = HealthRecorder(port: port)
        let driver = LoadDriver(client: client, port: port, scenario: name, concurrency: concurrency, retryEveryEvent: retryEveryEvent)
        async let load = driver.run(count: count, duration: duration.map(scaled))
        try await during(cluster, gateway)
        let answers = await load
        // librdkafka's statistics come every 2 s: the next ones include the end of the load.
        try? await Task.sleep(for: .milliseconds(2200))
        let metrics = await GatewayMetricsSnapshot.fetch(client, port: port)
        health.stop()
        let peakRSS = Self.peakRSSKiB(of: gateway.process.processIdentifier)
        if gateway.process.isRunning { gateway.signal(SIGTERM) }
        let exitCode = await gateway.wait(timeout: .seconds(40))
        try await client.shutdown()
        // Anything the producer still had in flight has landed or failed by now.
        let stored = try await KafkaAudit.readAll(bootstrap: cluster.bootstrapServers, topics: ["raw.orders.v1", "raw.clicks.v1"])
        var result = ScenarioResult.check(name, answers: answers, stored: stored, allowUnanswered: allowUnanswered)
        if peakRSS > 0 { result.notes.append("gateway peak RSS \(peakRSS / 1024) MiB") }
        withExtendedLifetime(cluster) {}
        return Run(
            result: result, answers: answers, health: health, gateway: gateway, exitCode: exitCode, peakRSSKiB: peakRSS, metrics: metrics
        )
    }

    /// VmHWM of a live process, in KiB; 0 when it is gone.
    static func peakRSSKiB(of pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    static func finish(_ run: Run) {
        ReliabilityReport.record(run.result)
        #expect(run.result.violations.isEmpty, "\(run.result)\n\(run.result.violations.prefix(10).joined(separator: "\n"))")
        #expect(run.result.lost == 0)
        #expect(run.result.duplicated == 0)
        #expect(run.result.acknowledged > 0)
    }

    @Test("baseline: no fault")
    func baseline() async throws {
        let run = try await Self.scenario("baseline", count: Int(1500 * Self.scale))
        Self.finish(run)
        #expect(run.exitCode == 0)
        #expect(run.result.rejected == run.result.sent / 50)
        #expect(run.result.unavailable == 0 && run.result.timedOut == 0 && run.result.unanswered == 0)
    }

    @Test("one broker down and back during load")
    func oneBrokerDown() async throws {
        // Broker 1 leads a third of the partitions, so the outage meets produce requests.
        let run = try await Self.scenario("one broker down 3 s", duration: .seconds(8), before: { try $0.spreadLeaders(testTopics) }, during: { cluster, _ in
            try await Task.sleep(for: .seconds(2))
            try cluster.setBrokerDown(1)
            try await Task.sleep(for: .seconds(3))
            try cluster.setBrokerUp(1)
        })
        // The fault took effect: the producer lost its connection to broker 1 and made a new one.
        let broker = try #require(run.metrics.broker(1), "no statistics for broker 1")
        #expect((broker["disconnects"] as? Int ?? 0) >= 1, "broker 1: \(broker["disconnects"] ?? "-") disconnects")
        #expect((broker["connects"] as? Int ?? 0) >= 2, "broker 1: \(broker["connects"] ?? "-") connects")
        Self.finish(run)
        #expect(run.exitCode == 0)
    }

    @Test("partition leaders moved during load")
    func leaderMoved() async throws {
        let seen = Observations()
        let run = try await Self.scenario(
            "leaders moved twice", duration: .seconds(7), before: { try $0.spreadLeaders(testTopics) },
            during: { cluster, _ in
                for target: Int32 in [3, 1] {
                    try await Task.sleep(for: .seconds(2))
                    for topic in testTopics {
                        for partition in 0..<Int32(topic.partitions) {
                            try cluster.setPartitionLeader(topic: topic.name, partition: partition, broker: target)
                        }
                    }
                    for (topic, leaders) in try await cluster.leaders(testTopics) {
                        seen.append("moved to \(target)", "\(topic): \(leaders)")
                    }
                }
            }
        )
        // The fault took effect: the cluster reported every leader on the target broker after each
        // move, and the producer followed them to broker 1.
        for target in [3, 1] {
            let reported = seen.values("moved to \(target)")
            #expect(reported.count == testTopics.count)
            for line in reported {
                let leaders = line.split(separator: "[").last?.dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
                #expect(!leaders.isEmpty && leaders.allSatisfy { $0 == "\(target)" }, "after the move to \(target): \(line)")
            }
        }
        for topic in testTopics {
            let leaders = run.metrics.leaders(topic.name)
            #expect(leaders.count == topic.partitions && leaders.values.allSatisfy { $0 == 1 }, "the producer's leaders of \(topic.name): \(leaders)")
        }
        Self.finish(run)
    }

    @Test("all brokers down for 10 s: 503 during, /health says so, recovery after without restart")
    func allBrokersDown() async throws {
        let outage = Self.scaled(.seconds(10))
        let times = TimeBox()
        let run = try await Self.scenario("all brokers down 10 s", concurrency: 8, duration: outage + .seconds(14), during: { cluster, _ in
            try await Task.sleep(for: .seconds(3))
            times.set(down: .now)
            for broker in cluster.brokerIDs { try cluster.setBrokerDown(broker) }
            try await Task.sleep(for: outage)
            for broker in cluster.brokerIDs { try cluster.setBrokerUp(broker) }
            times.set(up: .now)
        })
        Self.finish(run)
        let (down, up) = times.get()
        #expect(run.result.unavailable > 0)
        #expect(run.health.statuses(from: down + .seconds(3), to: up).contains(503))
        let after = run.health.statuses(from: up + .seconds(8), to: .now)
        #expect(after.contains(200), "health after recovery: \(after)")
        #expect(run.answers.contains { $0.status == 202 && $0.at > up }, "no event accepted after the brokers returned")
        #expect(run.exitCode == 0)
    }

    @Test("injected retriable produce errors, then a non-retriable one")
    func injectedErrors() async throws {
        let run = try await Self.scenario("injected produce errors", duration: .seconds(7), during: { cluster, _ in
            try await Task.sleep(for: .seconds(1))
            cluster.pushRequestErrors(.produce, Array(repeating: [.notLeaderForPartition, .requestTimedOut, .notEnoughReplicas], count: 4).flatMap { $0 })
            try await Task.sleep(for: .seconds(2))
            cluster.pushRequestErrors(.produce, Array(repeating: .topicAuthorizationFailed, count: 3))
        })
        // The fault took effect. The mock answers produce requests from one queue of injected errors,
        // in order, so an event refused for authorization proves the 12 retriable errors ahead of it
        // were answered too; each of the 3 refusals fails at least one event.
        #expect(run.metrics.failed(reason: "topic_authorization_failed") >= 3, "\(run.metrics.prometheus.split(separator: "\n").filter { $0.hasPrefix("flowguard_events_failed_total") })")
        Self.finish(run)
    }

    @Test("broker round-trip time of 500 ms")
    func slowBrokers() async throws {
        // The product's default delivery timeout: at a 500 ms round trip a broker connection carries
        // two requests a second, one partition each (librdkafka 2.0.2, one request in flight), so a
        // broker leading three busy partitions gives each a turn every 1.5 s; an event waits a few
        // turns, and the shorter 8 s of the other scenarios leaves too little room on a loaded host.
        let run = try await Self.scenario(
            "broker RTT 500 ms", deliveryTimeout: GatewayConfiguration().deliveryTimeout.optionText, duration: .seconds(6),
            before: { cluster in
                try cluster.spreadLeaders(testTopics)
                for broker in cluster.brokerIDs { try cluster.setRoundTripTime(broker: broker, milliseconds: 500) }
            }
        )
        // The fault took effect: no event was acknowledged in less than one round trip.
        let acknowledged = run.answers.filter { $0.status == 202 }
        let fastest = acknowledged.map { $0.at - $0.sent }.min()
        #expect(fastest.map { $0 >= .milliseconds(500) } == true, "fastest acknowledgement \(fastest.map { "\($0)" } ?? "none")")
        Self.finish(run)
        #expect(run.result.unavailable == 0 && run.result.timedOut == 0)
    }

    @Test("SIGTERM in the middle of load: drained, exit 0, nothing acknowledged lost")
    func sigtermDuringLoad() async throws {
        let times = TimeBox()
        let run = try await Self.scenario(
            "SIGTERM during load", gatewayArguments: ["--shutdown-timeout", "20s"], duration: .seconds(6), allowUnanswered: true,
            before: { cluster in for broker in cluster.brokerIDs { try cluster.setRoundTripTime(broker: broker, milliseconds: 100) } },
            during: { _, gateway in
                try await Task.sleep(for: .seconds(2))
                times.set(down: .now)
                gateway.signal(SIGTERM)
            }
        )
        // The fault took effect in the middle of the load: events in flight at the signal were
        // still answered 202 (drained), after it.
        let signalled = times.get().0
        #expect(run.answers.contains { $0.status == 202 && $0.sent < signalled && $0.at > signalled }, "nothing was drained")
        Self.finish(run)
        #expect(run.exitCode == 0)
    }

    @Test("kill -9 in the middle of load: every 2xx is already in Kafka")
    func killDuringLoad() async throws {
        let times = TimeBox()
        let run = try await Self.scenario("kill -9 during load", duration: .seconds(5), allowUnanswered: true, during: { _, gateway in
            try await Task.sleep(for: .seconds(2))
            times.set(down: .now)
            gateway.signal(SIGKILL)
        })
        // The kill came in the middle of the load: events were acknowledged before it, and requests
        // after it got no answer.
        let killed = times.get().0
        #expect(run.answers.contains { $0.status == 202 && $0.at < killed })
        #expect(run.answers.contains { $0.status == -1 && $0.sent >= killed })
        Self.finish(run)
        #expect(run.exitCode == SIGKILL || run.exitCode == 128 + SIGKILL)
    }

    @Test("clients retry every event: no duplicates in Kafka")
    func clientRetries() async throws {
        let run = try await Self.scenario("every event retried", count: Int(600 * Self.scale), retryEveryEvent: true)
        Self.finish(run)
        #expect(run.result.duplicatesAnswered >= run.result.acknowledged - 1)
    }

    @Test("a flood at 2x capacity: 503s, bounded memory, no crash")
    func flood() async throws {
        let run = try await Self.scenario(
            "flood at 2x capacity", gatewayArguments: ["--max-in-flight", "64"], concurrency: 128, duration: .seconds(8),
            before: { cluster in for broker in cluster.brokerIDs { try cluster.setRoundTripTime(broker: broker, milliseconds: 50) } }
        )
        Self.finish(run)
        #expect(run.result.unavailable > 0)
        // Refused for the in-flight limit, not because Kafka was away.
        #expect(run.metrics.failed(reason: "overloaded") > 0)
        #expect(run.exitCode == 0)
        #expect(run.peakRSSKiB < 1024 * 1024, "peak RSS \(run.peakRSSKiB) KiB")
    }
}

/// Instants written by a fault task and read by the test afterwards.
final class TimeBox: @unchecked Sendable {  // written once by the fault task before the test reads it
    private var down: ContinuousClock.Instant = .now
    private var up: ContinuousClock.Instant = .now
    func set(down: ContinuousClock.Instant) { self.down = down }
    func set(up: ContinuousClock.Instant) { self.up = up }
    func get() -> (ContinuousClock.Instant, ContinuousClock.Instant) { (down, up) }
}
