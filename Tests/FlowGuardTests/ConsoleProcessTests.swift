import AsyncHTTPClient
@testable import FlowGuardKafka
import Foundation
import NIOCore
import Testing

/// The console as the binary runs it: beside the gateway (`start-gateway --console`) and on its own.
@Suite struct ConsoleProcessTests {
    static func get(_ port: Int, _ path: String) async throws -> (status: Int, body: String) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(20))
        let body = try await response.body.collect(upTo: 4 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    @Test func startGatewayServesTheConsoleAndSaysWhereAndATakenPortIsOnlyAWarning() async throws {
        let cluster = try EmbeddedCluster(brokers: 3, topics: testTopics, logger: testLogger)
        let directory = try makeWorkingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try GatewayProcessTests.freePort()
        let consolePort = try GatewayProcessTests.freePort()
        let gateway = try ChildProcess(
            ["start-gateway", "--host", "127.0.0.1", "--port", "\(port)", "--bootstrap", cluster.bootstrapServers, "--console", "127.0.0.1:\(consolePort)"],
            directory: directory
        )
        defer { gateway.killIfRunning() }
        #expect(await GatewayProcessTests.waitForHealthy(HTTPClient.shared, port: port))
        let order = try await GatewayProcessTests.post(HTTPClient.shared, port: port, path: "/api/v1/orders", body: seedOrder)
        #expect(order.status == 202)
        let partition = try #require(order.body["partition"] as? Int)
        let topic = try await Self.get(consolePort, "/api/topics/raw.orders.v1/messages?partition=\(partition)")
        #expect(topic.status == 200)
        #expect(topic.body.contains(#""order_id":"ORD-001""#))
        let overview = try await Self.get(consolePort, "/api/overview")
        // The console beside the gateway shows that gateway's health.
        #expect(overview.body.contains(#""url":"http://127.0.0.1:\#(port)""#))

        // Produce through the gateway: validated and answered as any client's event.
        let session = try await Self.get(consolePort, "/api/session")
        let token = try #require(((try? JSONSerialization.jsonObject(with: Data(session.body.utf8))) as? [String: Any])?["csrf_token"] as? String)
        func produce(_ body: String) async throws -> (status: Int, body: String) {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(consolePort)/api/produce")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "X-CSRF-Token", value: token)
            request.body = .bytes(ByteBuffer(string: body))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
            return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
        }
        let valid = #"{"event_id":"console_1","user_id":7,"order_id":"ORD-C1","item_id":1,"item_name":"Idli","price":49.5}"#
        let accepted = try await produce(#"{"topic":"raw.orders.v1","via":"gateway","value":\#(valid)}"#)
        #expect(accepted.status == 200)
        #expect(accepted.body.contains(#""status":202"#) && accepted.body.contains(#""event_id":"console_1""#))
        let refused = try await produce(#"{"topic":"raw.orders.v1","via":"order","value":{"event_id":"console_2"}}"#)
        #expect(refused.status == 422)
        #expect(refused.body.contains(#""status":422"#))
        let ambiguous = try await produce(#"{"topic":"raw.clicks.v1","via":"gateway","value":{}}"#)
        #expect(ambiguous.status == 400)
        #expect(ambiguous.body.contains("raw.clicks.v1 takes click or impression events"))

        // A second gateway whose console port is taken (by the first one's console) still serves.
        let secondPort = try GatewayProcessTests.freePort()
        let second = try ChildProcess(
            ["start-gateway", "--host", "127.0.0.1", "--port", "\(secondPort)", "--bootstrap", cluster.bootstrapServers, "--console", "127.0.0.1:\(consolePort)"],
            directory: directory
        )
        defer { second.killIfRunning() }
        #expect(await GatewayProcessTests.waitForHealthy(HTTPClient.shared, port: secondPort))
        second.signal(SIGTERM)
        #expect(await second.wait() == 0)
        #expect(second.errorOutput.contains("The console is not running: cannot listen on 127.0.0.1:\(consolePort): address already in use"))

        gateway.signal(SIGTERM)
        #expect(await gateway.wait() == 0)
        #expect(gateway.errorOutput.contains("console at http://127.0.0.1:\(consolePort)/"))
    }

    @Test func theConsoleCommandServesPagesAndRefusesBadFlags() async throws {
        let cluster = try EmbeddedCluster(brokers: 3, topics: testTopics, logger: testLogger)
        let directory = try makeWorkingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bad = try await runBinary(["console", "--bootstrap", cluster.bootstrapServers, "--port", "99999"], directory: directory)
        #expect(bad.code == 64)
        #expect(bad.err.contains("--port"))
        let badConsole = try await runBinary(["start-gateway", "--console", "nowhere"], directory: directory)
        #expect(badConsole.code == 64)
        #expect(badConsole.err.contains("--console must be HOST:PORT or off"))

        let port = try GatewayProcessTests.freePort()
        let console = try ChildProcess(["console", "--bootstrap", cluster.bootstrapServers, "--port", "\(port)", "--group", "a,b"], directory: directory)
        defer { console.killIfRunning() }
        var page: (status: Int, body: String)?
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let answer = try? await Self.get(port, "/topics"), answer.status == 200 { page = answer; break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let topics = try #require(page)
        #expect(topics.body.contains("raw.orders.v1"))
        #expect(topics.body.contains("raw.clicks.v1"))
        console.signal(SIGTERM)
        #expect(await console.wait() == 0)
        #expect(console.errorOutput.contains("FlowGuard console listening on http://127.0.0.1:\(port)/"))
    }
}
