import Crypto
@testable import FlowGuardGateway
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@Suite("Event fast path")
struct EventFastPathTests {
    /// One request of the comparison, and whether the fast path takes it.
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var method: HTTPRequest.Method = .post
        var path: String
        var headers: HTTPFields = [:]
        var body: String
        var fast: Bool

        var description: String { name }
    }

    static let key = "fast-path-key"

    static func cases() -> [Case] {
        let json: HTTPFields = [.contentType: "application/json", .xAPIKey: key]
        let click = #"{"event_id":"fp-c1","user_id":7,"ad_id":"ad_1","is_click":true,"ad_type":"banner"}"#
        let impression = #"{"event_id":"fp-i1","user_id":7,"ad_id":"ad_1","is_click":false,"ad_type":"video"}"#
        return [
            Case(name: "a new order", path: "/api/v1/orders", headers: json, body: order("fp-1"), fast: true),
            Case(name: "its retry", path: "/api/v1/orders", headers: json, body: order("fp-1"), fast: true),
            Case(name: "its id with other content", path: "/api/v1/orders", headers: json, body: order("fp-1", price: "1"), fast: true),
            Case(name: "a click without a content type", path: "/api/v1/clicks", headers: [.xAPIKey: key], body: click, fast: true),
            Case(
                name: "an impression, media type in capitals with a parameter", path: "/api/v1/clicks/impression",
                headers: [.contentType: "Application/JSON; charset=utf-8", .authorization: "Bearer \(key)"], body: impression, fast: true
            ),
            Case(name: "malformed JSON", path: "/api/v1/orders", headers: json, body: #"{"event_id": "fp-2", "#, fast: true),
            Case(name: "invalid fields", path: "/api/v1/orders", headers: json, body: #"{"event_id":"","user_id":-1,"price":"x"}"#, fast: true),
            Case(name: "an empty body", path: "/api/v1/orders", headers: json, body: "", fast: true),
            Case(name: "another media type", path: "/api/v1/orders", headers: [.contentType: "text/plain", .xAPIKey: key], body: order("fp-3"), fast: true),
            Case(name: "without an API key", path: "/api/v1/orders", headers: [.contentType: "application/json"], body: order("fp-4"), fast: true),
            Case(
                name: "with a wrong API key", path: "/api/v1/orders", headers: [.contentType: "application/json", .xAPIKey: "wrong"],
                body: order("fp-4"), fast: true
            ),
            Case(
                name: "the client's request id", path: "/api/v1/orders", headers: json + [.xRequestID: "client-id-1"], body: order("fp-5"),
                fast: true
            ),
            Case(
                name: "an unusable request id", path: "/api/v1/orders", headers: json + [.xRequestID: String(repeating: "x", count: 200)],
                body: order("fp-6"), fast: true
            ),
            // Left to the router.
            Case(name: "a body over --max-body", path: "/api/v1/orders", headers: json, body: order("fp-7", item: String(repeating: "n", count: 600)), fast: false),
            Case(name: "a query string", path: "/api/v1/orders?source=app", headers: json, body: order("fp-8"), fast: false),
            Case(name: "another method", method: .put, path: "/api/v1/orders", headers: json, body: order("fp-9"), fast: false),
            Case(name: "a batch", path: "/api/v1/orders/batch", headers: json, body: "[" + order("fp-10") + "]", fast: false),
            Case(name: "an origin with CORS on", path: "/api/v1/orders", headers: json + [.origin: "https://shop.example"], body: order("fp-11"), fast: false),
        ]
    }

    static func configuration(fastPath: Bool) -> GatewayConfiguration {
        let digest = SHA256.hash(data: Array(key.utf8)).map { String(format: "%02x", $0) }.joined()
        return GatewayConfiguration(
            maxBodyBytes: 512, accessLog: false, apiKeyDigests: [digest], corsOrigins: ["https://shop.example"], eventFastPath: fastPath
        )
    }

    /// What must be the same on both paths: the status, every header but the date (and the request
    /// id when the gateway made it up), and the body.
    struct Comparable: Equatable, CustomStringConvertible {
        var status: Int
        var headers: [String]
        var body: String

        init(_ response: TestResponse, givenRequestID: String?) {
            status = response.status.code
            headers = response.headers.compactMap { field in
                switch field.name {
                case .date: return "Date: present"
                case .xRequestID where givenRequestID == nil || field.value != givenRequestID:
                    return RequestIDMiddleware.isUsable(field.value) && field.value != givenRequestID ? "X-Request-ID: generated" : "X-Request-ID: \(field.value)"
                default: return "\(field.name.canonicalName): \(field.value)"
                }
            }.sorted()
            body = String(buffer: response.body)
        }

        var description: String { "\(status) \(headers) \(body)" }
    }

    static func answers(fastPath: Bool, cases: [Case]) async throws -> (answers: [Comparable], taken: [Bool], fastPathRequests: Int, stored: Int64) {
        let harness = try await GatewayHarness(configuration: configuration(fastPath: fastPath))
        let metrics = harness.components.metrics
        let cluster = harness.cluster
        let health = harness.health
        let bootstrap = cluster.bootstrapServers
        let collected = CollectedAnswers()
        try await harness.test { client in
            for item in cases {
                let before = metrics.fastPathRequests.load(ordering: .relaxed)
                let response = try await client.execute(uri: item.path, method: item.method, headers: item.headers, body: ByteBuffer(string: item.body))
                collected.append(Comparable(response, givenRequestID: item.headers[.xRequestID]))
                collected.appendTaken(metrics.fastPathRequests.load(ordering: .relaxed) == before + 1)
            }
            // Kafka away: a new event is refused with the reason.
            for broker in cluster.brokerIDs { try cluster.setBrokerDown(broker) }
            await health.refresh()
            let refused = try await client.execute(
                uri: "/api/v1/orders", method: .post, headers: [.contentType: "application/json", .xAPIKey: key], body: ByteBuffer(string: order("fp-12"))
            )
            collected.append(Comparable(refused, givenRequestID: nil))
            for broker in cluster.brokerIDs { try cluster.setBrokerUp(broker) }
        }
        let stored = try await storedRecordCount(bootstrap: bootstrap, topic: "raw.orders.v1")
            + storedRecordCount(bootstrap: bootstrap, topic: "raw.clicks.v1")
        return (collected.values, collected.taken, metrics.fastPathRequests.load(ordering: .relaxed), stored)
    }

    @Test("every event request gets the same answer on the fast path as through the router, and the fast path takes exactly the ones it should")
    func sameAnswersAsTheRouter() async throws {
        let cases = Self.cases()
        async let routed = Self.answers(fastPath: false, cases: cases)
        async let fast = Self.answers(fastPath: true, cases: cases)
        let (router, fastPath) = try await (routed, fast)
        try #require(router.answers.count == fastPath.answers.count)
        for (index, (expected, actual)) in zip(router.answers, fastPath.answers).enumerated() where index < cases.count {
            #expect(actual == expected, "\(cases[index].name)")
        }
        // With Kafka away the reason names librdkafka's last error, which depends on timing.
        let refusals = [router.answers.last, fastPath.answers.last].compactMap { $0 }
        #expect(refusals.allSatisfy { $0.status == 503 && $0.headers.contains("retry-after: 5") && $0.headers.contains("X-Request-ID: generated") })
        #expect(refusals.allSatisfy { $0.body.hasPrefix(#"{"detail":"Kafka cannot take the event now, it was not stored: Kafka is unreachable"#) })
        // The comparison means something only if each path took what it should.
        #expect(router.fastPathRequests == 0)
        #expect(fastPath.taken == cases.map(\.fast))
        #expect(fastPath.fastPathRequests == cases.filter(\.fast).count + 1)
        #expect(router.stored == fastPath.stored)
        // A sample of what both must say.
        #expect(fastPath.answers.map(\.status).prefix(4) == [202, 200, 409, 202])
    }

    @Test("pipelined requests on one connection are answered in order, whichever path each takes")
    func pipelinedRequestsKeepTheirOrder() async throws {
        let harness = try await GatewayHarness(configuration: GatewayConfiguration(accessLog: false))
        // A slow Kafka keeps the first order waiting while the rest of the pipeline has arrived.
        for broker in harness.cluster.brokerIDs { try harness.cluster.setRoundTripTime(broker: broker, milliseconds: 300) }
        let metrics = harness.components.metrics
        try await harness.test { client in
            let port = try #require(client.port)
            let fastPathRequests = { metrics.fastPathRequests.load(ordering: .relaxed) }
            // Events only: each waits for Kafka while the next ones are held back, then all three
            // are answered on the fast path, in order.
            let eventsOnly = rawOrderRequest("pipe-1") + rawOrderRequest("pipe-2") + rawOrderRequest("pipe-1")
            let events = await onOwnThread { pipelinedAnswers(port: port, requests: eventsOnly, count: 3) }
            #expect(events.map(\.status) == [202, 202, 200])
            #expect(events.count == 3 && events[0].body.contains(#""event_id":"pipe-1""#) && events[1].body.contains(#""event_id":"pipe-2""#))
            #expect(events.count == 3 && events[2].body.contains(#""status":"duplicate""#))
            #expect(fastPathRequests() == 3)

            // Mixed with routed requests: the first event takes the fast path; what follows a routed
            // request while it is being answered goes to the router too.
            let health = "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n"
            let pipeline = rawOrderRequest("pipe-3") + health + rawOrderRequest("pipe-4") + rawOrderRequest("pipe-3") + health
            let answers = await onOwnThread { pipelinedAnswers(port: port, requests: pipeline, count: 5) }
            try #require(answers.count == 5)
            #expect(answers.map(\.status) == [202, 200, 202, 200, 200])
            #expect(answers[0].body.contains(#""event_id":"pipe-3""#) && answers[0].body.contains(#""status":"accepted""#))
            #expect(answers[1].body.contains("alive"))
            #expect(answers[2].body.contains(#""event_id":"pipe-4""#))
            #expect(answers[3].body.contains(#""event_id":"pipe-3""#) && answers[3].body.contains(#""status":"duplicate""#))
            #expect(answers[4].body.contains("alive"))
            #expect(fastPathRequests() == 4)
        }
    }

    @Test("a connection that keeps sending events on the fast path is not closed as idle")
    func busyConnectionsStayOpen() async throws {
        let harness = try await GatewayHarness(configuration: GatewayConfiguration(accessLog: false, idleTimeout: .seconds(1)))
        let metrics = harness.components.metrics
        try await harness.test { client in
            let port = try #require(client.port)
            let statuses = await onOwnThread { () -> [Int] in
                guard let fd = connectedLoopbackSocket(port: port, receiveTimeoutSeconds: 5) else { return [] }
                defer { close(fd) }
                var statuses: [Int] = []
                // 2.4 s on one connection, never idle for more than 0.4 s.
                for index in 0..<6 {
                    let request = rawOrderRequest("busy-\(index)")
                    _ = request.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                    guard let answer = readAnswer(fd) else { break }
                    statuses.append(answer.status)
                    usleep(400_000)
                }
                return statuses
            }
            #expect(statuses == Array(repeating: 202, count: 6))
            #expect(metrics.fastPathRequests.load(ordering: .relaxed) == 6)
        }
    }

    @Test("a client that resets its connection while an event waits for Kafka: what it pipelined after that event is not produced")
    func leavingClientsPipelineIsDropped() async throws {
        let harness = try await GatewayHarness(configuration: GatewayConfiguration(accessLog: false))
        let cluster = harness.cluster
        for broker in cluster.brokerIDs { try cluster.setRoundTripTime(broker: broker, milliseconds: 400) }
        let admission = harness.components.admission
        try await harness.test { client in
            let port = try #require(client.port)
            let pipeline = rawOrderRequest("gone-1") + rawOrderRequest("gone-2") + rawOrderRequest("gone-3")
            await onOwnThread {
                guard let fd = connectedLoopbackSocket(port: port, receiveTimeoutSeconds: 5) else { return }
                _ = pipeline.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                usleep(100_000)  // the first event is with Kafka, the others are held
                // A reset, not a FIN: the gateway learns at once that nobody will read the answers.
                var resetOnClose = linger(l_onoff: 1, l_linger: 0)
                setsockopt(fd, SOL_SOCKET, SO_LINGER, &resetOnClose, socklen_t(MemoryLayout<linger>.size))
                close(fd)
            }
            // The first event is answered (to nobody) after the round trip; nothing follows it.
            let deadline = ContinuousClock.now + .seconds(10)
            while admission.inFlight > 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            try await Task.sleep(for: .seconds(1))
            for broker in cluster.brokerIDs { try cluster.setRoundTripTime(broker: broker, milliseconds: 0) }
            #expect(try await storedRecordCount(bootstrap: cluster.bootstrapServers, topic: "raw.orders.v1") == 1)
        }
    }

    @Test("after a routed request with Connection: close, a pipelined event is left alone, as the router leaves it")
    func nothingIsTakenAfterConnectionClose() async throws {
        let harness = try await GatewayHarness(configuration: GatewayConfiguration(accessLog: false))
        let metrics = harness.components.metrics
        let bootstrap = harness.cluster.bootstrapServers
        try await harness.test { client in
            let port = try #require(client.port)
            let closeRequest = "GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            let event = rawOrderRequest("after-close")
            let statuses = await onOwnThread { () -> [Int] in
                guard let fd = connectedLoopbackSocket(port: port, receiveTimeoutSeconds: 5) else { return [] }
                defer { close(fd) }
                _ = closeRequest.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                var received: [UInt8] = []
                guard let answer = readAnswer(fd, received: &received) else { return [] }
                // The gateway has answered and closed its side; the event comes after that.
                _ = event.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                usleep(300_000)
                return [answer.status]
            }
            #expect(statuses == [200])
            try await Task.sleep(for: .milliseconds(500))
            #expect(metrics.fastPathRequests.load(ordering: .relaxed) == 0)
            #expect(try await storedRecordCount(bootstrap: bootstrap, topic: "raw.orders.v1") == 0)
        }
    }

    @Test("a request pipelined behind a waiting event is read to its end, so its body timeout does not cut the connection")
    func heldRequestsAreReadToTheirEnd() async throws {
        let harness = try await GatewayHarness(configuration: GatewayConfiguration(accessLog: false, bodyTimeout: .milliseconds(500)))
        let cluster = harness.cluster
        for broker in cluster.brokerIDs { try cluster.setRoundTripTime(broker: broker, milliseconds: 1000) }
        try await harness.test { client in
            let port = try #require(client.port)
            let second = rawOrderRequest("slow-body-2")
            let split = second.index(second.endIndex, offsetBy: -20)
            let (firstPart, rest) = (rawOrderRequest("slow-body-1") + second[..<split], String(second[split...]))
            let statuses = await onOwnThread { () -> [Int] in
                guard let fd = connectedLoopbackSocket(port: port, receiveTimeoutSeconds: 10) else { return [] }
                defer { close(fd) }
                // The first event goes to Kafka (1 s); the second's head and most of its body come
                // with it, the rest 200 ms later, while the first still waits.
                _ = firstPart.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                usleep(200_000)
                _ = rest.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                var received: [UInt8] = []
                var statuses: [Int] = []
                while statuses.count < 2, let answer = readAnswer(fd, received: &received) { statuses.append(answer.status) }
                return statuses
            }
            #expect(statuses == [202, 202])
        }
    }

    @Test("graceful shutdown answers an event the fast path is waiting on before the connection closes")
    func shutdownWaitsForTheAnswer() async throws {
        let harness = try await GatewayHarness(configuration: GatewayConfiguration(accessLog: false))
        for broker in harness.cluster.brokerIDs { try harness.cluster.setRoundTripTime(broker: broker, milliseconds: 500) }
        let application = buildApplication(harness.components)
        let admission = harness.components.admission
        let answer = try await application.test(.live) { client in
            let port = try #require(client.port)
            let request = rawOrderRequest("shutdown-1")
            let answer = Task { await onOwnThread { pipelinedAnswers(port: port, requests: request, count: 1) } }
            let deadline = ContinuousClock.now + .seconds(5)
            while admission.inFlight == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            #expect(admission.inFlight == 1)
            // The test framework shuts the server down as soon as this closure returns, while the
            // event still waits for Kafka.
            return answer
        }
        let answers = await answer.value
        #expect(answers.map(\.status) == [202])
        #expect(harness.components.metrics.fastPathRequests.load(ordering: .relaxed) == 1)
        withExtendedLifetime(harness.cluster) {}
    }
}

extension HTTPFields {
    static func + (lhs: HTTPFields, rhs: HTTPFields) -> HTTPFields {
        var fields = lhs
        fields.append(contentsOf: rhs)
        return fields
    }
}

final class CollectedAnswers: Sendable {
    private let storage = Mutex<(answers: [EventFastPathTests.Comparable], taken: [Bool])>(([], []))
    func append(_ answer: EventFastPathTests.Comparable) { storage.withLock { $0.answers.append(answer) } }
    func appendTaken(_ taken: Bool) { storage.withLock { $0.taken.append(taken) } }
    var values: [EventFastPathTests.Comparable] { storage.withLock { $0.answers } }
    var taken: [Bool] { storage.withLock { $0.taken } }
}

/// A POST of one order as raw HTTP/1.1.
func rawOrderRequest(_ eventID: String) -> String {
    let body = order(eventID)
    return "POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
}

/// Sends `requests` in one write on a new connection and reads `count` answers (status and body).
func pipelinedAnswers(port: Int, requests: String, count: Int) -> [(status: Int, body: String)] {
    guard let fd = connectedLoopbackSocket(port: port, receiveTimeoutSeconds: 10) else { return [] }
    defer { close(fd) }
    _ = requests.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    var received: [UInt8] = []
    var answers: [(status: Int, body: String)] = []
    while answers.count < count, let answer = readAnswer(fd, received: &received) {
        answers.append(answer)
    }
    return answers
}

/// Reads one answer (Content-Length bodies only) from `fd`; nil when the connection ends first.
func readAnswer(_ fd: Int32) -> (status: Int, body: String)? {
    var received: [UInt8] = []
    return readAnswer(fd, received: &received)
}

/// Reads one answer, starting with the bytes already `received`; what follows it stays there.
func readAnswer(_ fd: Int32, received: inout [UInt8]) -> (status: Int, body: String)? {
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        if let answer = takeAnswer(&received) { return answer }
        let read = recv(fd, &buffer, buffer.count, 0)
        guard read > 0 else { return nil }
        received.append(contentsOf: buffer[0..<read])
    }
}

private func takeAnswer(_ received: inout [UInt8]) -> (status: Int, body: String)? {
    let text = String(decoding: received, as: UTF8.self)
    guard let headEnd = text.range(of: "\r\n\r\n") else { return nil }
    let head = text[..<headEnd.lowerBound]
    let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
    let length = head.split(separator: "\r\n").compactMap { line -> Int? in
        let parts = line.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
        return Int(parts[1].trimmingCharacters(in: .whitespaces))
    }.first ?? 0
    let headBytes = text[..<headEnd.upperBound].utf8.count
    guard received.count >= headBytes + length else { return nil }
    let body = String(decoding: received[headBytes..<(headBytes + length)], as: UTF8.self)
    received.removeFirst(headBytes + length)
    return (status, body)
}
