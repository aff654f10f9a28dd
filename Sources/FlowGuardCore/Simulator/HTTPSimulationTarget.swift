import AsyncHTTPClient
import NIOCore
import NIOPosix

/// Sends events to the gateway's HTTP API over keep-alive connections, one per request in flight.
final class HTTPSimulationTarget: SimulationTarget {
    let name: String
    private let client: HTTPClient
    private let baseURL: String
    private let urls: [EventKind: String]
    private let warmConnections: Int
    private let timeout: TimeAmount

    /// - Parameters:
    ///   - baseURL: the gateway, such as `http://localhost:8000` (without a trailing slash).
    ///   - connections: the most connections to open, the `--concurrency`; each one is kept alive.
    ///   - warmConnections: how many connections to open before the schedule starts.
    ///   - timeout: how long one request may take before it counts as `timeout`.
    init(baseURL: String, connections: Int, warmConnections: Int, timeout: Duration) {
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
        self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        self.baseURL = baseURL
        self.warmConnections = warmConnections
        self.urls = Dictionary(uniqueKeysWithValues: GatewayRoutes.eventRoutes.map { ($0.kind, baseURL + $0.path) })
        self.timeout = TimeAmount(timeout)
    }

    /// Opens `warmConnections` keep-alive connections with as many concurrent `GET /` requests (any
    /// complete answer will do; failures are left to the schedule to report).
    ///
    /// Without it every event of the first moments opens a connection of its own: at 5,000 events/s
    /// with `--concurrency 512` that is hundreds of TCP handshakes and accepts within 0.2 s, and
    /// those first events' latency (up to 100 ms on two cores) is most of a 10 s run's p99. Clients
    /// of a gateway keep their connections open; that steady state is what a run should measure.
    func warmUp() async {
        let url = baseURL + "/"
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<warmConnections {
                group.addTask {
                    var request = HTTPClientRequest(url: url)
                    request.method = .GET
                    guard let response = try? await self.client.execute(request, timeout: self.timeout) else { return }
                    _ = try? await response.body.collect(upTo: 1 << 20)
                }
            }
        }
    }

    func send(_ event: ValidatedEvent) async -> TargetAnswer {
        var request = HTTPClientRequest(url: urls[event.kind]!)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        // The gateway writes this into the record's request_id header: the Kafka target does the same.
        request.headers.add(name: "X-Request-ID", value: event.eventID)
        request.body = .bytes(ByteBuffer(bytes: event.requestBody))
        do {
            let response = try await client.execute(request, timeout: timeout)
            // Reading the body to its end returns the connection to the pool.
            _ = try await response.body.collect(upTo: 1 << 20)
            return TargetAnswer(status: String(response.status.code), acknowledged: (200..<300).contains(response.status.code))
        } catch let error as HTTPClientError {
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
        } catch is NIOConnectionError {
            return TargetAnswer(status: "connect", acknowledged: false)
        } catch is CancellationError {
            return TargetAnswer(status: "cancelled", acknowledged: false)
        } catch {
            return TargetAnswer(status: "\(error)".contains("refused") ? "connect" : "transport", acknowledged: false)
        }
    }

    func shutdown() async {
        try? await client.shutdown()
    }
}
