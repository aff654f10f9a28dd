@testable import FlowGuardConsole
@testable import FlowGuardKafka
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A console on a fresh embedded cluster, tested in-process through its router.
struct ConsoleHarness {
    let cluster: EmbeddedCluster
    let producer: KafkaProducer
    let console: Console

    init(
        topics: [TopicSpec] = testTopics,
        configure: (inout ConsoleConfiguration) -> Void = { _ in }
    ) throws {
        (cluster, producer) = try makeClusterAndProducer(topics: topics)
        // Ample: a read that meets its deadline answers with what it has, and a test that compares
        // content must not lose records to a machine that is busy for a few seconds. Tests of the
        // deadline set their own.
        var configuration = ConsoleConfiguration(kafkaTimeout: .seconds(20))
        configure(&configuration)
        console = try Console(configuration: configuration, kafka: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers), logger: testLogger)
    }

    /// Runs `body` against the console's router.
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: buildConsoleRouter(console), logger: testLogger)
        try await app.test(.router) { client in
            try await body(client)
        }
        producer.stopPolling()
        withExtendedLifetime(cluster) {}
    }

    /// Produces `count` records to one partition: key `k<i>`, value `{"n":i,"kind":"even"|"odd"}`, header `h: <i % 3>`.
    func produceNumbered(topic: String, partition: Int32, count: Int, timestamp: (Int) -> Int64? = { _ in nil }) async throws {
        for index in 0..<count {
            _ = try await producer.produce(
                topic: topic, partition: partition, key: Array("k\(index)".utf8),
                value: Array(#"{"n":\#(index),"kind":"\#(index % 2 == 0 ? "even" : "odd")"}"#.utf8),
                headers: [KafkaHeader(key: "h", value: "\(index % 3)")], timestampMillis: timestamp(index)
            )
        }
    }
}

/// Runs `body` against a console whose cluster never answers, with a one-second Kafka timeout: nothing
/// listens on the port of a closed socket, so no metadata is ever read and nothing is cached.
func withUnreachableCluster(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
    let port = try GatewayProcessTests.freePort()
    let console = try Console(
        configuration: ConsoleConfiguration(kafkaTimeout: .seconds(1)),
        kafka: KafkaConfiguration(bootstrapServers: "127.0.0.1:\(port)"), logger: testLogger
    )
    let app = Application(router: buildConsoleRouter(console), logger: testLogger)
    try await app.test(.router) { client in
        try await body(client)
    }
}

extension TestClientProtocol {
    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: headers, body: nil)
    }
}

extension TestResponse {
    /// The `records` of a messages answer.
    var records: [[String: Any]] { jsonObject["records"] as? [[String: Any]] ?? [] }
}
