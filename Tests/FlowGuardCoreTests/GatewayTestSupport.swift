import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import FlowGuardCore

/// A gateway router on a fresh embedded cluster, for in-process tests.
struct GatewayHarness {
    let cluster: EmbeddedCluster
    let producer: KafkaProducer
    let components: GatewayComponents
    let router: Router<GatewayRequestContext>
    var health: HealthMonitor { components.health }

    init(configuration: GatewayConfiguration = GatewayConfiguration(accessLog: false), producerProperties: [String: String] = [:]) async throws {
        (cluster, producer) = try makeClusterAndProducer(producerProperties: producerProperties)
        components = try GatewayComponents(
            configuration: configuration, producer: producer,
            kafka: KafkaTarget(bootstrapServers: cluster.bootstrapServers, embedded: true), logger: testLogger
        )
        await components.health.refresh()
        router = buildRouter(components)
    }

    /// Runs `body` against the router in-process.
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: router)
        try await app.test(.router) { client in
            try await body(client)
        }
        producer.stopPolling()
        withExtendedLifetime(cluster) {}
    }
}

extension TestClientProtocol {
    /// POSTs a JSON text.
    @discardableResult
    func postJSON(_ uri: String, _ body: String, contentType: String? = "application/json", headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        if let contentType { headers[.contentType] = contentType }
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }
}

extension TestResponse {
    /// The body parsed as a JSON object.
    var jsonObject: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }

    var text: String { String(buffer: body) }
}

let seedOrder = #"{"event_id":"test_001","user_id":1001,"order_id":"ORD-001","item_id":501,"item_name":"Biryani","price":299.99}"#
let seedClick = #"{"event_id":"test_002","user_id":1001,"ad_id":"ad_123","is_click":true,"ad_type":"banner"}"#
