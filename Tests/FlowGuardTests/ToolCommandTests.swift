@testable import FlowGuardCLI
@testable import FlowGuardConfig
@testable import FlowGuardKafka
@testable import FlowGuardSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Runs a subcommand in-process with its working directory set to `directory`.
func runCommand<C: Subcommand>(
    _ command: C.Type, _ arguments: [String], directory: URL, environment: [String: String] = [:]
) async throws -> (code: Int32, out: String, err: String) {
    let captured = CapturedOutput()
    // Limited to what the command declares, as `FlowGuardCLI.main` does: reading anything else stops the test.
    let environment = Environment(process: environment).declaring(C.readVariables)
    let parsed = try ParsedArguments(command: C.name, arguments: arguments, options: C.options, environment: environment)
    let context = CommandContext(
        environment: environment, logger: testLogger, workingDirectory: directory.path, output: captured.stream
    )
    do {
        let code = try await C.run(parsed, context: context)
        return (code, captured.standardOutput, captured.standardError)
    } catch let failure as CommandFailure {
        return (failure.exitCode, captured.standardOutput, captured.standardError + failure.message)
    }
}

/// A working directory whose discovery file points at `cluster` (owned by this process).
func directoryDiscovering(_ cluster: EmbeddedCluster) throws -> URL {
    let directory = try makeWorkingDirectory()
    try ClusterDiscovery(directory: directory.path).write(
        .init(bootstrapServers: cluster.bootstrapServers, pid: getpid(), brokers: cluster.brokerCount, startedAt: "now", owner: "test")
    )
    return directory
}

@Suite("tail")
struct TailCommandTests {
    @Test("--from-beginning --max prints NDJSON records with topic, partition, offset, key, headers and parsed value")
    func tailPrintsNDJSON() async throws {
        let (cluster, producer) = try makeClusterAndProducer()
        defer { producer.stopPolling() }
        let directory = try directoryDiscovering(cluster)
        defer { try? FileManager.default.removeItem(at: directory) }
        for index in 0..<3 {
            _ = try await producer.produce(
                topic: "raw.orders.v1", key: Array("7".utf8), value: Array(#"{"event_id":"e\#(index)","event_type":"order"}"#.utf8),
                headers: [KafkaHeader(key: "event_type", value: "order")]
            )
        }
        let result = try await runCommand(TailCommand.self, ["raw.orders.v1", "--from-beginning", "--max", "3", "--format", "json", "--timeout", "10s"], directory: directory)
        #expect(result.code == 0)
        let lines = result.out.split(separator: "\n")
        #expect(lines.count == 3)
        let objects = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.count == 3)
        #expect(objects.map { ($0["value"] as? [String: Any])?["event_id"] as? String } == ["e0", "e1", "e2"])
        #expect(objects.allSatisfy { $0["topic"] as? String == "raw.orders.v1" && $0["key"] as? String == "7" })
        #expect(objects.map { $0["offset"] as? Int } == [0, 1, 2])
        #expect((objects.first?["headers"] as? [String: Any])?["event_type"] as? String == "order")
        #expect(result.err.contains("3 records"))

        // --max 1 ends it at the match. An idle --timeout counts from the start, and on a loaded host
        // the consumer's first fetch alone can take seconds: with --timeout 2s and no --max this once
        // printed nothing.
        let filtered = try await runCommand(
            TailCommand.self, ["raw.orders.v1", "--from-beginning", "--filter", "event_id=e1", "--max", "1", "--format", "raw", "--timeout", "10s"],
            directory: directory
        )
        #expect(filtered.code == 0)
        #expect(filtered.out == #"{"event_id":"e1","event_type":"order"}"# + "\n")
        withExtendedLifetime(cluster) {}
    }

    @Test("--last N and --offset O start where asked; --group resumes after the committed offset")
    func startPositionsAndGroups() async throws {
        let (cluster, producer) = try makeClusterAndProducer()
        defer { producer.stopPolling() }
        let directory = try directoryDiscovering(cluster)
        defer { try? FileManager.default.removeItem(at: directory) }
        for index in 0..<5 {
            _ = try await producer.produce(topic: "raw.orders.v1", partition: 0, key: nil, value: Array(#"{"n":\#(index)}"#.utf8))
        }
        func offsets(_ arguments: [String], environment: [String: String] = [:]) async throws -> [Int] {
            let result = try await runCommand(TailCommand.self, ["raw.orders.v1", "--format", "json"] + arguments, directory: directory, environment: environment)
            #expect(result.code == 0, "\(result.err)")
            return result.out.split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["offset"] as? Int
            }
        }
        #expect(try await offsets(["--partition", "0", "--last", "2", "--max", "2", "--timeout", "5s"]) == [3, 4])
        #expect(try await offsets(["--partition", "0", "--offset", "1", "--max", "2", "--timeout", "5s"]) == [1, 2])
        // librdkafka 2.0.2's mock ignores LeaveGroup: a short session lets the second member take over.
        let group = ["KAFKA_CONSUMER__SESSION_TIMEOUT_MS": "6000", "KAFKA_CONSUMER__HEARTBEAT_INTERVAL_MS": "500"]
        #expect(try await offsets(["--group", "g1", "--from-beginning", "--max", "3", "--timeout", "20s"], environment: group) == [0, 1, 2])
        #expect(try await offsets(["--group", "g1", "--max", "2", "--timeout", "25s"], environment: group) == [3, 4])
        withExtendedLifetime(cluster) {}
    }

    @Test("an unknown topic and an unreachable cluster exit 1 with one clear line, within the timeout")
    func tailFailsClearly() async throws {
        let cluster = try EmbeddedCluster(brokers: 1, topics: testTopics, logger: testLogger)
        let directory = try directoryDiscovering(cluster)
        defer { try? FileManager.default.removeItem(at: directory) }
        let unknown = try await runCommand(TailCommand.self, ["no.such.topic", "--timeout", "5s"], directory: directory)
        #expect(unknown.code == 1)
        #expect(unknown.err.contains("topic 'no.such.topic' does not exist"))

        let started = ContinuousClock.now
        let unreachable = try await runCommand(TailCommand.self, ["raw.orders.v1", "--bootstrap", "127.0.0.1:1", "--timeout", "2s"], directory: directory)
        #expect(unreachable.code == 1)
        #expect(unreachable.err.contains("did not answer"))
        #expect(ContinuousClock.now - started < .seconds(10))
        withExtendedLifetime(cluster) {}
    }
}

@Suite("health-check")
struct HealthCheckCommandTests {
    @Test("every Kafka check passes on a healthy cluster; an explicit gateway that does not answer makes it unhealthy (1); JSON on request")
    func healthyCluster() async throws {
        let cluster = try EmbeddedCluster(brokers: 3, topics: shippedTopics, logger: testLogger)
        let directory = try directoryDiscovering(cluster)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("config/kafka/topics.yaml").path
        let result = try await runCommand(HealthCheckCommand.self, ["--file", file, "--gateway", "http://127.0.0.1:9", "--timeout", "2s"], directory: directory)
        // The explicit gateway does not answer: unhealthy, but every Kafka check passed.
        #expect(result.code == 1)
        #expect(result.out.contains("✓ kafka: 3/3 brokers up"))
        #expect(result.out.contains("✓ topic raw.orders.v1: 3 partitions"))
        #expect(result.out.contains("✓ leaders raw.clicks.v1: every partition has a reachable leader"))
        #expect(result.out.contains("✗ gateway: http://127.0.0.1:9 did not answer"))

        let json = try await runCommand(HealthCheckCommand.self, ["--file", file, "--json", "--timeout", "2s", "--gateway", "http://127.0.0.1:9"], directory: directory)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "unhealthy")
        #expect((object["checks"] as? [[String: Any]])?.count == 8)
        withExtendedLifetime(cluster) {}
    }

    @Test("a broker down with every partition still led is degraded (2); all brokers down is unhealthy (1)")
    func degradedAndUnhealthy() async throws {
        let cluster = try EmbeddedCluster(brokers: 3, topics: shippedTopics, logger: testLogger)
        let directory = try directoryDiscovering(cluster)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("config/kafka/topics.yaml").path
        for topic in shippedTopics {
            for partition in 0..<Int32(topic.partitions) {
                try cluster.setPartitionLeader(topic: topic.name, partition: partition, broker: 2 + partition % 2)
            }
        }
        try cluster.setBrokerDown(1)
        let degraded = try await runCommand(HealthCheckCommand.self, ["--file", file, "--timeout", "2s"], directory: directory)
        #expect(degraded.code == 2, "\(degraded.out)")
        #expect(degraded.out.contains("! kafka: 2/3 brokers up"))
        #expect(degraded.out.contains("status: degraded"))

        for broker in cluster.brokerIDs { try cluster.setBrokerDown(broker) }
        let down = try await runCommand(HealthCheckCommand.self, ["--file", file, "--timeout", "2s"], directory: directory)
        #expect(down.code == 1)
        #expect(down.out.contains("✗"))
        withExtendedLifetime(cluster) {}
    }

    @Test("--probe posts a marked event through a live gateway and reads it back from Kafka")
    func probeRoundTrip() async throws {
        let harness = try await GatewayHarness()
        let cluster = harness.cluster
        try cluster.createTopic(attributedOrdersTopic)
        let directory = try directoryDiscovering(cluster)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("config/kafka/topics.yaml").path
        let app = Application(router: harness.router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let result = try await runCommand(
                HealthCheckCommand.self, ["--file", file, "--gateway", "http://127.0.0.1:\(port)", "--probe", "--timeout", "5s"], directory: directory
            )
            #expect(result.code == 0, "\(result.out)")
            #expect(result.out.contains("✓ gateway: http://127.0.0.1:\(port)/health healthy"))
            #expect(result.out.contains("✓ probe: event flowguard-probe-"))
            #expect(result.out.contains("status: healthy"))
        }
        harness.producer.stopPolling()
        withExtendedLifetime(cluster) {}
    }
}
