import AsyncHTTPClient
import FlowGuardEvents
import NIOCore
import NIOHTTP1
import NIOPosix
import struct FoundationEssentials.URL

/// Sends events to the gateway's HTTP API over keep-alive connections, one per request in flight.
///
/// Each request is handed to AsyncHTTPClient on the event loop that sends it, with that loop as its
/// preference (`.delegate(on:)`): the answer is delivered there, and an idle connection of that loop
/// is used when there is one, so in the steady state a request stays on one thread and never passes
/// through Swift's task pool. (`.delegateAndChannel(on:)` would insist on the loop, but the client
/// closes such connections as soon as they fall idle: one new connection per request.)
package final class HTTPSimulationTarget: SimulationTarget {
    package let name: String
    private let client: HTTPClient
    private let eventLoopGroup: any EventLoopGroup
    private let baseURL: String
    /// Parsed once: a URL string would be parsed again for every request.
    private let urls: [EventKind: URL]
    private let warmConnections: Int
    private let timeout: TimeAmount

    /// - Parameters:
    ///   - baseURL: the gateway, such as `http://localhost:8000` (without a trailing slash).
    ///   - connections: the most connections to open, the `--concurrency`; each one is kept alive.
    ///   - warmConnections: how many connections to open before the schedule starts.
    ///   - timeout: how long one request may take before it counts as `timeout`.
    ///   - eventLoopGroup: the loops the connections live on: the scheduler's.
    package init(baseURL: String, connections: Int, warmConnections: Int, timeout: Duration, eventLoopGroup: any EventLoopGroup) {
        self.name = baseURL
        var configuration = HTTPClient.Configuration()
        configuration.httpVersion = .http1Only
        configuration.redirectConfiguration = .disallow
        // The default pool opens 8 connections per host; a request beyond them would queue inside the
        // client and its wait would hide from the in-flight cap.
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        // The pool retries a refused connection until the connect timeout: keep that short so a gateway
        // that is not there shows as `connect` errors within 2 s rather than after the request timeout.
        configuration.timeout.connect = TimeAmount(min(timeout, .seconds(2)))
        self.client = HTTPClient(eventLoopGroupProvider: .shared(eventLoopGroup), configuration: configuration)
        self.eventLoopGroup = eventLoopGroup
        self.baseURL = baseURL
        self.warmConnections = warmConnections
        // The command checked the base URL; a path that still does not parse answers `transport`.
        self.urls = Dictionary(
            uniqueKeysWithValues: EventKind.allCases.compactMap { kind in URL(string: baseURL + kind.path).map { (kind, $0) } }
        )
        self.timeout = TimeAmount(timeout)
    }

    /// Opens `warmConnections` keep-alive connections, spread over the event loops, with as many
    /// concurrent `GET /` requests (any complete answer will do; failures are left to the schedule to report).
    ///
    /// Without it every event of the first moments opens a connection of its own: at 5,000 events/s
    /// with `--concurrency 512` that is hundreds of TCP handshakes and accepts within 0.2 s, and
    /// those first events' latency (up to 100 ms on two cores) is most of a 10 s run's p99. Clients
    /// of a gateway keep their connections open; that steady state is what a run should measure.
    package func warmUp() async {
        let answers = (0..<warmConnections).compactMap { _ -> EventLoopFuture<HTTPClient.Response>? in
            guard let request = try? HTTPClient.Request(url: baseURL + "/") else { return nil }
            // Round robin over the loops: the connections are spread as the lanes will use them.
            return client.execute(request: request, eventLoop: .delegate(on: eventLoopGroup.next()), deadline: .now() + timeout)
        }
        for answer in answers {
            _ = try? await answer.get()
        }
    }

    package func send(_ event: ValidatedEvent, on eventLoop: any EventLoop) -> EventLoopFuture<TargetAnswer> {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        // The gateway writes this into the record's request_id header: the Kafka target does the same.
        headers.add(name: "X-Request-ID", value: event.eventID)
        let request: HTTPClient.Request
        do {
            guard let url = urls[event.kind] else { throw HTTPClientError.invalidURL }
            request = try HTTPClient.Request(
                url: url, method: .POST, headers: headers, body: .byteBuffer(ByteBuffer(bytes: event.requestBody))
            )
        } catch {
            return eventLoop.makeSucceededFuture(TargetAnswer(status: "transport", acknowledged: false))
        }
        // The accumulated response has read the body to its end, which returns the connection to the pool.
        return client.execute(request: request, eventLoop: .delegate(on: eventLoop), deadline: .now() + timeout)
            .map { response in
                TargetAnswer(status: String(response.status.code), acknowledged: (200..<300).contains(response.status.code))
            }
            .recover(Self.answer(for:))
    }

    /// The outcome that a failed request counts as.
    private static func answer(for error: any Error) -> TargetAnswer {
        switch error {
        case let error as HTTPClientError:
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .getConnectionFromPoolTimeout:
                return TargetAnswer(status: "timeout", acknowledged: false)
            case .connectTimeout:
                return TargetAnswer(status: "connect", acknowledged: false)
            case .cancelled:
                return TargetAnswer(status: "cancelled", acknowledged: false)
            default:
                return TargetAnswer(status: "transport", acknowledged: false)
            }
        case is NIOConnectionError:
            return TargetAnswer(status: "connect", acknowledged: false)
        default:
            return TargetAnswer(status: "\(error)".contains("refused") ? "connect" : "transport", acknowledged: false)
        }
    }

    package func shutdown() async {
        // With `.delegate(on:)`, AsyncHTTPClient 1.37.0 can deliver an answer on the request's loop
        // before the task that returns its connection to the pool has run on the connection's loop.
        // A shutdown in between closes that connection, and the late return then trips the pool's
        // precondition and crashes the process (bench/NOTES.md, twelfth round). Such a task is queued
        // before the answer is delivered, so a no-op run on every loop comes after it.
        for loop in eventLoopGroup.makeIterator() {
            try? await loop.submit {}.get()
        }
        try? await client.shutdown()
    }
}
