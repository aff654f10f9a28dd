import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
@testable import FlowGuardCore

/// The built binary over real sockets: start-up, port conflicts, SIGTERM with requests in flight.
@Suite("Gateway process over real sockets", .serialized)
struct GatewayProcessTests {
    /// A free loopback port.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                guard bind(fd, socketAddress, length) == 0, getsockname(fd, socketAddress, &length) == 0 else {
                    throw CommandFailure("cannot find a free port")
                }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func waitForHealthy(_ client: HTTPClient, port: Int, timeout: Duration = .seconds(60)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let response = try? await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/health"), timeout: .seconds(2)),
                response.status == .ok
            {
                return true
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    static func post(_ client: HTTPClient, port: Int, path: String, body: String) async throws -> (status: Int, body: [String: Any]) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        let object = (try? JSONSerialization.jsonObject(with: Data(buffer: bytes))) as? [String: Any] ?? [:]
        return (Int(response.status.code), object)
    }

    @Test("the gateway binary serves the seed requests, refuses a taken port with one line, and stops cleanly on SIGTERM")
    func binaryLifecycle() async throws {
        let directory = try makeWorkingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try Self.freePort()
        let gateway = try ChildProcess(["start-gateway", "--host", "127.0.0.1", "--port", "\(port)", "--log-format", "json"], directory: directory)
        let client = HTTPClient.shared
        #expect(await Self.waitForHealthy(client, port: port))
        let entry = try #require(ClusterDiscovery(directory: directory.path).read())
        #expect(entry.pid == gateway.process.processIdentifier)

        let order = try await Self.post(client, port: port, path: "/api/v1/orders", body: seedOrder)
        #expect(order.status == 202)
        let click = try await Self.post(client, port: port, path: "/api/v1/clicks", body: seedClick)
        #expect(click.status == 202)
        let record = try #require(
            await readRecord(
                bootstrap: entry.bootstrapServers, topic: "raw.orders.v1",
                partition: Int32(order.body["partition"] as? Int ?? -1), offset: Int64(order.body["offset"] as? Int ?? -1)
            )
        )
        #expect(record.key == Array("1001".utf8))

        let second = try await runBinary(["start-gateway", "--host", "127.0.0.1", "--port", "\(port)", "--bootstrap", entry.bootstrapServers], directory: directory)
        #expect(second.code == 1)
        #expect(second.err.contains("address already in use"))
        #expect(!second.err.contains("Fatal error"))

        gateway.signal(SIGTERM)
        #expect(await gateway.wait(timeout: .seconds(30)) == 0)
        #expect(!FileManager.default.fileExists(atPath: ClusterDiscovery(directory: directory.path).path))
        let log = gateway.errorOutput
        #expect(log.contains("DEVELOPMENT ONLY"))
        // JSON access log lines with the request id.
        #expect(log.contains(#""http.path":"\/api\/v1\/orders""#) || log.contains(#""http.path":"/api/v1/orders""#))
        #expect(log.contains("http.request_id"))
    }
    @Test("--reload restarts in place when a config file changes, and serves again")
    func reloadOnConfigChange() async throws {
        let directory = try makeWorkingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try Self.freePort()
        let gateway = try ChildProcess(["start-gateway", "--host", "127.0.0.1", "--port", "\(port)", "--reload"], directory: directory)
        let client = HTTPClient.shared
        #expect(await Self.waitForHealthy(client, port: port))
        let before = try #require(ClusterDiscovery(directory: directory.path).read())
        #expect(try await Self.post(client, port: port, path: "/api/v1/orders", body: seedOrder).status == 202)

        // Touch topics.yaml: the gateway drains, restarts in place (same pid, execv) with a new embedded cluster.
        let topics = directory.appendingPathComponent("config/kafka/topics.yaml")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: topics.path)
        var restarted = false
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, !restarted {
            try await Task.sleep(for: .milliseconds(200))
            if let entry = ClusterDiscovery(directory: directory.path).read(), entry.bootstrapServers != before.bootstrapServers {
                restarted = true
            }
        }
        #expect(restarted)
        #expect(await Self.waitForHealthy(client, port: port))
        #expect(try await Self.post(client, port: port, path: "/api/v1/orders", body: seedOrder).status == 202)
        #expect(gateway.process.isRunning)
        gateway.signal(SIGTERM)
        #expect(await gateway.wait(timeout: .seconds(30)) == 0)
        #expect(gateway.errorOutput.contains("File changed, restarting"))
    }
}
