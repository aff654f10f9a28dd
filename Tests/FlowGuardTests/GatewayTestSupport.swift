import AsyncHTTPClient
@testable import FlowGuardGateway
@testable import FlowGuardKafka
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing

/// A gateway on a fresh embedded cluster, served on a loopback port with the production channel
/// (the event fast path included, unless the configuration turns it off).
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

    /// Runs `body` against the gateway's HTTP server (the producer flushes when it stops).
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = buildApplication(components)
        try await app.test(.live) { client in
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

/// Requests to a live gateway on connections of their own, for tests that need them at the same
/// time: the requests of one connection are answered one after the other, as HTTP/1.1 wants.
struct ParallelClient: Sendable {
    let client: HTTPClient
    let port: Int

    struct Answer: Sendable {
        var status: HTTPResponseStatus
        var headers: HTTPHeaders
        var body: ByteBuffer

        var jsonObject: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
        }
    }

    /// Runs `body` with a client that opens up to `connections` connections to `port`.
    static func with<Value: Sendable>(
        port: Int, connections: Int, _ body: @Sendable (ParallelClient) async throws -> Value
    ) async throws -> Value {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connections
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let value = try await body(ParallelClient(client: client, port: port))
            try await client.shutdown()
            return value
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    func postJSON(_ path: String, _ json: String) async throws -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json))
        let response = try await client.execute(request, timeout: .seconds(30))
        return Answer(status: response.status, headers: response.headers, body: try await response.body.collect(upTo: 1 << 20))
    }
}

/// Runs blocking socket code on a thread of its own, so that it never holds one of the few
/// threads of Swift's cooperative pool (on two cores, two such calls would stall every task).
func onOwnThread<Value: Sendable>(_ body: @escaping @Sendable () -> Value) async -> Value {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: body()) }
    }
}
