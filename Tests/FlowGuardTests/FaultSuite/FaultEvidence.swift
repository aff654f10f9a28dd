import AsyncHTTPClient
@testable import FlowGuardKafka
@testable import FlowGuardSupport
import Foundation
import Synchronization

/// The gateway's `/metrics` at one moment, in both forms, read by the scenarios to prove that their
/// fault took effect before they check the audit.
struct GatewayMetricsSnapshot: Sendable {
    /// The Prometheus text; empty when the gateway did not answer.
    var prometheus = ""
    /// `/metrics?format=json`, with librdkafka's statistics under `librdkafka`.
    var json = Data()

    static func fetch(_ client: HTTPClient, port: Int) async -> GatewayMetricsSnapshot {
        func get(_ path: String) async -> Data {
            guard let response = try? await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(5)),
                let body = try? await response.body.collect(upTo: 16 << 20)
            else { return Data() }
            return Data(buffer: body)
        }
        return GatewayMetricsSnapshot(
            prometheus: String(decoding: await get("/metrics?format=prometheus"), as: UTF8.self),
            json: await get("/metrics?format=json")
        )
    }

    /// `flowguard_events_failed_total` summed over topics, for one reason.
    func failed(reason: String) -> Double {
        prometheus.split(separator: "\n")
            .filter { $0.hasPrefix("flowguard_events_failed_total{") && $0.contains(#"reason="\#(reason)""#) }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            .reduce(0, +)
    }

    private var statistics: [String: Any] {
        let object = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any]
        return object?["librdkafka"] as? [String: Any] ?? [:]
    }

    /// librdkafka's counters of one broker (`disconnects`, `txretries`, …); nil when it is not listed.
    func broker(_ id: Int32) -> [String: Any]? {
        let brokers = statistics["brokers"] as? [String: [String: Any]] ?? [:]
        return brokers.values.first { ($0["nodeid"] as? Int) == Int(id) }
    }

    /// The leader the producer last knew for each partition of `topic`.
    func leaders(_ topic: String) -> [Int: Int] {
        let topics = statistics["topics"] as? [String: [String: Any]] ?? [:]
        let partitions = topics[topic]?["partitions"] as? [String: [String: Any]] ?? [:]
        var leaders: [Int: Int] = [:]
        for entry in partitions.values {
            guard let partition = entry["partition"] as? Int, partition >= 0, let leader = entry["leader"] as? Int else { continue }
            leaders[partition] = leader
        }
        return leaders
    }
}

extension EmbeddedCluster {
    /// Leads partition p of every topic from broker (p mod brokers) + 1: every broker leads some,
    /// none leads many, so that a scenario does not depend on the random layout the mock chose.
    func spreadLeaders(_ topics: [TopicSpec]) throws {
        for topic in topics {
            for partition in 0..<Int32(topic.partitions) {
                try setPartitionLeader(topic: topic.name, partition: partition, broker: partition % Int32(brokerCount) + 1)
            }
        }
    }

    /// The leader of every partition of `topics`, as the cluster answers a metadata request.
    func leaders(_ topics: [TopicSpec]) async throws -> [String: [Int32]] {
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: bootstrapServers), logger: testLogger)
        let metadata = try await admin.metadata(timeout: .seconds(10))
        var leaders: [String: [Int32]] = [:]
        for topic in topics {
            leaders[topic.name] = metadata.topic(named: topic.name)?.partitions.sorted { $0.id < $1.id }.map(\.leader) ?? []
        }
        return leaders
    }
}

/// What a fault task saw, read by the test afterwards.
final class Observations: Sendable {
    private let storage = Mutex<[String: [String]]>([:])
    func append(_ key: String, _ value: String) { storage.withLock { $0[key, default: []].append(value) } }
    func values(_ key: String) -> [String] { storage.withLock { $0[key] ?? [] } }
}
