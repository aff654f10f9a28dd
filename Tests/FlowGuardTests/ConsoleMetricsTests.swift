@testable import FlowGuardConsole
import FlowGuardGateway
import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Console metrics")
struct ConsoleMetricsTests {
    @Test("/metrics counts requests by route pattern and status, shows Kafka's state, and needs no key")
    func metricsExposition() async throws {
        let digest = SHA256.hash(data: Array("console-key".utf8)).map { String(format: "%02x", $0) }.joined()
        let harness = try ConsoleHarness { $0.apiKeys = try! APIKeyDigests(lines: [digest]) }
        try await harness.test { client in
            let before = try await client.get("/metrics")
            #expect(before.status == .ok)
            // No page asked Kafka yet: nothing cached, so Kafka counts as not up.
            #expect(String(buffer: before.body).contains("flowguard_console_kafka_up 0"))

            let key: HTTPFields = [HTTPField.Name("X-API-Key")!: "console-key"]
            #expect(try await client.get("/api/topics/raw.orders.v1", headers: key).status == .ok)
            #expect(try await client.get("/api/topics/no.such.topic", headers: key).status == .notFound)
            #expect(try await client.get("/api/topics").status == .unauthorized)

            let text = String(buffer: try await client.get("/metrics").body)
            #expect(text.contains("flowguard_console_kafka_up 1"))
            #expect(text.contains("flowguard_console_brokers 3"))
            #expect(text.contains("flowguard_console_brokers_reachable 3"))
            let requests = text.split(separator: "\n").filter { $0.hasPrefix("flowguard_console_http_requests_total{") }
            // One series for both topics (the route's pattern, not the path), one per status.
            #expect(requests.contains { $0.contains("status=\"200\"") && $0.contains("/api/topics/{topic}") && $0.hasSuffix(" 1") })
            #expect(requests.contains { $0.contains("status=\"404\"") && $0.contains("/api/topics/{topic}") && $0.hasSuffix(" 1") })
            #expect(requests.contains { $0.contains("status=\"401\"") })
            #expect(!text.contains("raw.orders.v1"))
        }
    }
}
