import AsyncHTTPClient
@testable import FlowGuardConfig
@testable import FlowGuardSupport
import Foundation
import NIOCore
import Testing

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
        // The start lines say where Kafka is, where the gateway listens and where its docs are, and
        // nothing that reads like an error: not the embedded cluster's own client's CONFWARN.
        #expect(log.contains("API docs at http://127.0.0.1:\(port)/docs"))
        #expect(!log.contains("CONFWARN"))
        #expect(!log.contains("bootstrap.servers` configured"))
        #expect(!log.contains("Server started and listening"))
        // JSON access log lines with the request id.
        #expect(log.contains(#""http.path":"\/api\/v1\/orders""#) || log.contains(#""http.path":"/api/v1/orders""#))
        #expect(log.contains("http.request_id"))
    }
    @Test("SIGHUP (a closed terminal) drains and stops the gateway as SIGTERM does, exit 0, instead of ending it at once")
    func hangupDrains() async throws {
        let directory = try makeWorkingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try Self.freePort()
        let gateway = try ChildProcess(["start-gateway", "--host", "127.0.0.1", "--port", "\(port)"], directory: directory)
        let client = HTTPClient.shared
        #expect(await Self.waitForHealthy(client, port: port))
        #expect(try await Self.post(client, port: port, path: "/api/v1/orders", body: seedOrder).status == 202)
        gateway.signal(SIGHUP)
        #expect(await gateway.wait(timeout: .seconds(30)) == 0)
        #expect(gateway.errorOutput.contains("Producer flushed"), "\(gateway.errorOutput.suffix(2000))")
        #expect(!FileManager.default.fileExists(atPath: ClusterDiscovery(directory: directory.path).path))
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

    #if os(Linux)
    /// The "Max open files" line of `/proc/PID/limits`: soft and hard.
    static func openFileLimits(of pid: Int32) throws -> (soft: UInt64, hard: UInt64) {
        let text = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("Max open files") })
        let numbers = line.split(separator: " ").compactMap { UInt64($0) }
        try #require(numbers.count >= 2, "unexpected limits line: \(line)")
        return (numbers[0], numbers[1])
    }

    /// Loopback client connections on raw sockets, all opened at once, each sending one request.
    final class RawConnections {
        private var sockets: [Int32] = []

        init(port: Int, count: Int, path: String) throws {
            let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
            for _ in 0..<count {
                let fd = try #require(connectedLoopbackSocket(port: port, receiveTimeoutSeconds: 20), "cannot connect to port \(port)")
                sockets.append(fd)
                try #require(send(fd, request, request.count, 0) == request.count)
            }
        }

        deinit { sockets.filter { $0 >= 0 }.forEach { Glibc.close($0) } }

        /// The status line each of `indices` got, "" where none came before `deadline`. One wait for all
        /// of them, so that a run where many get no answer fails in seconds, not one timeout each.
        func statusLines(_ indices: Range<Int>, deadline: ContinuousClock.Instant) -> [String] {
            var lines = [String?](repeating: nil, count: indices.count)
            while lines.contains(nil) {
                let remaining = deadline - ContinuousClock.now
                guard remaining > .zero else { break }
                let waiting = lines.indices.filter { lines[$0] == nil }
                var descriptors = waiting.map { pollfd(fd: sockets[indices.lowerBound + $0], events: Int16(POLLIN), revents: 0) }
                let milliseconds = remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1
                let ready = poll(&descriptors, nfds_t(descriptors.count), Int32(milliseconds))
                guard ready > 0 else {
                    if ready < 0 && errno == EINTR { continue }
                    break
                }
                for (slot, descriptor) in zip(waiting, descriptors) where descriptor.revents != 0 {
                    lines[slot] = Self.readStatusLine(descriptor.fd)
                }
            }
            return lines.map { $0 ?? "" }
        }

        /// Whether connection `index` has anything to read within `milliseconds`.
        func hasAnswer(_ index: Int, within milliseconds: Int32) -> Bool {
            var descriptor = pollfd(fd: sockets[index], events: Int16(POLLIN), revents: 0)
            return poll(&descriptor, 1, milliseconds) == 1
        }

        func close(_ indices: Range<Int>) {
            for index in indices where sockets[index] >= 0 {
                Glibc.close(sockets[index])
                sockets[index] = -1
            }
        }

        private static func readStatusLine(_ fd: Int32) -> String {
            var buffer = [UInt8](repeating: 0, count: 512)
            var count: Int
            repeat { count = read(fd, &buffer, buffer.count) } while count < 0 && errno == EINTR
            guard count > 0 else { return "" }
            return String(decoding: buffer[0..<count], as: UTF8.self).split(separator: "\r\n").first.map(String.init) ?? ""
        }
    }

    @Test("started with a soft limit of 128 open files, the gateway lifts it to the hard limit and serves 200 connections at once")
    func liftsTheOpenFileLimit() async throws {
        OpenFileLimit.raiseToHardLimit()  // this process holds the 200 client ends
        let directory = try makeWorkingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try Self.freePort()
        let gateway = try ChildProcess(
            ["start-gateway", "--host", "127.0.0.1", "--port", "\(port)"], directory: directory,
            environment: ["FLOWGUARD_ACCESS_LOG": "false"], openFiles: (soft: 128, hard: nil)
        )
        defer { gateway.killIfRunning() }
        #expect(await Self.waitForHealthy(HTTPClient.shared, port: port))
        let limits = try Self.openFileLimits(of: gateway.process.processIdentifier)
        try #require(limits.hard > 128)
        try #require(limits.soft == limits.hard)
        // The serving part needs room for 200 sockets here too; under a hard limit below 1,024 only the
        // limit itself is checked.
        if limits.hard >= 1024 {
            // Every answer is read before any connection closes: none can wait for another's descriptor.
            let connections = try RawConnections(port: port, count: 200, path: "/health")
            let lines = connections.statusLines(0..<200, deadline: .now + .seconds(20))
            #expect(lines.filter { $0 == "HTTP/1.1 200 OK" }.count == 200, "\(Set(lines))")
        }
        gateway.signal(SIGTERM)
        #expect(await gateway.wait(timeout: .seconds(30)) == 0)
    }

    @Test("under a hard limit of 200 open files, the gateway serves at most 100 connections at once and says why")
    func fitsConnectionsUnderTheOpenFileLimit() async throws {
        let directory = try makeWorkingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try Self.freePort()
        let gateway = try ChildProcess(
            ["start-gateway", "--host", "127.0.0.1", "--port", "\(port)", "--max-connections", "4096"],
            directory: directory, environment: ["FLOWGUARD_ACCESS_LOG": "false"], openFiles: (soft: 200, hard: 200)
        )
        defer { gateway.killIfRunning() }
        // A client of its own, shut down before the count: a kept-alive connection would take a slot.
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let healthy = await Self.waitForHealthy(client, port: port)
        try await client.shutdown()
        try #require(healthy)
        let limits = try Self.openFileLimits(of: gateway.process.processIdentifier)
        try #require(limits.soft == 200 && limits.hard == 200)
        // 150 at once: 100 are served, the others wait in the listen queue until those close. The cap
        // is checked between NIO's accept batches, so a few past the 100th may be let in; not the last.
        let connections = try RawConnections(port: port, count: 150, path: "/health")
        let served = connections.statusLines(0..<100, deadline: .now + .seconds(20))
        #expect(served.allSatisfy { $0 == "HTTP/1.1 200 OK" }, "\(Set(served))")
        #expect(!connections.hasAnswer(149, within: 500))
        connections.close(0..<100)
        let queued = connections.statusLines(100..<150, deadline: .now + .seconds(20))
        #expect(queued.allSatisfy { $0 == "HTTP/1.1 200 OK" }, "\(Set(queued))")
        gateway.signal(SIGTERM)
        #expect(await gateway.wait(timeout: .seconds(30)) == 0)
        let log = gateway.errorOutput
        #expect(log.contains("leaves room for 100 connections, not --max-connections 4096"), "\(log)")
        #expect(!log.contains("Fatal error"))
    }
    #endif
}
