@testable import FlowGuardCLI
@testable import FlowGuardGateway
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Gateway service endpoints")
struct GatewayServiceTests {
    @Test("GET / reports the service, its version and the Kafka in use")
    func serviceInfo() async throws {
        let harness = try await GatewayHarness()
        let bootstrap = harness.cluster.bootstrapServers
        try await harness.test { client in
            let response = try await client.execute(uri: "/", method: .get)
            #expect(response.status == .ok)
            let body = response.jsonObject
            #expect(body["service"] as? String == "flowguard")
            #expect(body["version"] as? String == FlowGuardCLI.version)
            let kafka = try #require(body["kafka"] as? [String: Any])
            #expect(kafka["bootstrap"] as? String == bootstrap)
            #expect(kafka["embedded"] as? Bool == true)
            #expect((body["links"] as? [String: Any])?["docs"] as? String == "/docs")
        }
    }

    @Test("/health is 200 while Kafka answers, 503 with the reason when every broker is down, 200 again when they return")
    func healthFollowsTheBrokers() async throws {
        let harness = try await GatewayHarness()
        let cluster = harness.cluster
        let health = harness.health
        try await harness.test { client in
            let healthy = try await client.execute(uri: "/health", method: .get)
            #expect(healthy.status == .ok)
            let body = healthy.jsonObject
            #expect(body["status"] as? String == "healthy")
            let kafka = try #require(body["kafka"] as? [String: Any])
            #expect(kafka["connected"] as? Bool == true)
            #expect(kafka["brokers"] as? Int == 3)
            let topics = try #require(kafka["topics"] as? [String: Any])
            #expect((topics["raw.orders.v1"] as? [String: Any])?["partitions"] as? Int == 3)
            #expect((topics["raw.clicks.v1"] as? [String: Any])?["partitions"] as? Int == 6)

            for broker in cluster.brokerIDs { try cluster.setBrokerDown(broker) }
            await health.refresh()
            // /health answers from the monitor's last snapshot (it never waits for Kafka itself; no
            // timed assertion here, the machines are shared): the same reason, word for word.
            let down = try await client.execute(uri: "/health", method: .get)
            #expect(down.status == .serviceUnavailable)
            #expect(down.jsonObject["status"] as? String == "unhealthy")
            let reason = try #require(down.jsonObject["reason"] as? String)
            #expect(reason.contains("unreachable"))
            #expect(reason == health.current.unavailableReason(requiredTopics: GatewayConfiguration().requiredTopics))
            // The alert on readiness reads the same decision from /metrics.
            let metrics = try await client.execute(uri: "/metrics", method: .get).text
            #expect(metrics.contains("flowguard_ready 0\n"))
            #expect(metrics.contains("flowguard_kafka_connected 0\n"))

            // Events are refused at once with 503 and Retry-After while Kafka is unreachable.
            let refused = try await client.postJSON("/api/v1/orders", seedOrder)
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.headers[.retryAfter] != nil)

            for broker in cluster.brokerIDs { try cluster.setBrokerUp(broker) }
            var recovered = false
            for _ in 0..<40 where !recovered {
                await health.refresh()
                recovered = try await client.execute(uri: "/health", method: .get).status == .ok
                if !recovered { try await Task.sleep(for: .milliseconds(250)) }
            }
            #expect(recovered)
            let accepted = try await client.postJSON("/api/v1/orders", seedOrder)
            #expect(accepted.status == .accepted)
        }
    }

    @Test("/health/live answers 200")
    func liveness() async throws {
        let harness = try await GatewayHarness()
        try await harness.test { client in
            let response = try await client.execute(uri: "/health/live", method: .get)
            #expect(response.status == .ok)
            #expect(response.jsonObject["status"] as? String == "alive")
        }
    }

    @Test("/metrics counts requests and produced events in Prometheus text, and gives producer statistics as JSON")
    func metricsExposition() async throws {
        let harness = try await GatewayHarness()
        try await harness.test { client in
            #expect(try await client.postJSON("/api/v1/orders", seedOrder).status == .accepted)
            #expect(try await client.postJSON("/api/v1/orders", "{}").status == .unprocessableContent)
            let text = try await client.execute(uri: "/metrics", method: .get)
            #expect(text.status == .ok)
            #expect(text.headers[.contentType]?.hasPrefix("text/plain") == true)
            let body = text.text
            #expect(body.contains(#"flowguard_events_produced_total{topic="raw.orders.v1"} 1"#))
            #expect(body.contains(#"flowguard_http_requests_total{route="/api/v1/orders",method="POST",status="202"} 1"#))
            #expect(body.contains(#"flowguard_http_requests_total{route="/api/v1/orders",method="POST",status="422"} 1"#))
            #expect(body.contains("flowguard_delivery_latency_seconds_bucket"))
            #expect(body.contains("flowguard_http_request_duration_seconds_bucket"))
            #expect(body.contains("flowguard_produce_in_flight 0"))
            #expect(body.contains("flowguard_kafka_connected 1"))
            #expect(body.contains("flowguard_ready 1\n"))
            // The limits the alerts compare the gauges with: this harness's configuration and the producer's defaults.
            let configuration = GatewayConfiguration()
            #expect(body.contains("flowguard_produce_in_flight_limit \(configuration.maxInFlight)\n"))
            #expect(body.contains("flowguard_deduplication_capacity \(configuration.deduplicationCapacity)\n"))
            #expect(body.contains("flowguard_kafka_queue_max_messages 200000\n"))
            #expect(body.contains("# TYPE flowguard_deduplication_evicted_before_window_total counter\nflowguard_deduplication_evicted_before_window_total 0\n"))
            #if os(Linux)
            #expect(body.contains("# TYPE process_cpu_seconds_total counter"))
            #expect(body.contains("process_resident_memory_bytes "))
            #expect(body.contains("process_open_fds "))
            #endif

            let json = try await client.execute(uri: "/metrics?format=json", method: .get)
            #expect(json.headers[.contentType] == "application/json")
            #expect(json.jsonObject["messages_produced"] as? Int == 1)
            let viaAccept = try await client.execute(uri: "/metrics", method: .get, headers: [.accept: "application/json"])
            #expect(viaAccept.jsonObject["messages_produced"] as? Int == 1)
        }
    }

    @Test("/docs and /redoc are self-contained HTML without any external URL")
    func docsAreSelfContained() async throws {
        let harness = try await GatewayHarness()
        try await harness.test { client in
            for path in ["/docs", "/redoc"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                let html = response.text
                #expect(html.contains("/openapi.json"))
                #expect(!html.contains("http://"))
                #expect(!html.contains("https://"))
                #expect(!html.contains("src=\"//"))
            }
        }
    }
}
