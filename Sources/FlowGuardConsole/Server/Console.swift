import AsyncHTTPClient
import FlowGuardEvents
import FlowGuardGateway
import FlowGuardJSON
import FlowGuardKafka
import FlowGuardSupport
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// The parts of a running console that the routes share.
package struct Console: Sendable {
    package let configuration: ConsoleConfiguration
    package let cluster: ConsoleCluster
    package let models: ConsoleModels
    /// The token every write carries besides passing the Origin check (CSRF); one per process.
    package let csrfToken: String
    let sessions: ConsoleSessions
    let producer: LazyProducer
    let metrics = ConsoleMetrics()
    let logger: Logger

    /// - Throws: `KafkaError` when the Kafka clients cannot be created (a configuration error).
    package init(configuration: ConsoleConfiguration, kafka: KafkaConfiguration, logger: Logger) throws(KafkaError) {
        self.configuration = configuration
        self.cluster = try ConsoleCluster(configuration: kafka, timeout: configuration.kafkaTimeout, logger: logger)
        self.models = ConsoleModels(cluster: cluster, configuration: configuration)
        self.csrfToken = ConsoleSessions.randomToken()
        self.sessions = ConsoleSessions()
        self.producer = LazyProducer(configuration: kafka, logger: logger)
        self.logger = logger
    }

    func pageContext(_ request: Request) -> PageContext {
        PageContext(
            csrfToken: csrfToken, readOnly: configuration.readOnly, bootstrap: cluster.configuration.bootstrapServers,
            signedIn: !configuration.apiKeys.isEmpty && sessions.session(of: request) != nil
        )
    }

    /// The gateway's `/health`, within a second; nil when no gateway was named and none answers on localhost:8000.
    func gatewayHealth() async -> GatewayHealth? {
        let url = configuration.gatewayURL ?? "http://localhost:8000"
        // AsyncHTTPClient retries a refused connection until the deadline; a TCP probe says "nobody
        // listens" at once, so the overview does not wait out the second when no gateway runs.
        if let (host, port) = Self.hostAndPort(url), !(await TCPProbe.canConnect(host: host, port: port, timeout: .milliseconds(500))) {
            guard configuration.gatewayURL != nil else { return nil }
            return GatewayHealth(url: url, status: nil, detail: "nothing listens at \(host):\(port)")
        }
        do {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/health"), timeout: .seconds(1))
            let body = try await response.body.collect(upTo: 1 << 20)
            let bytes = Array(buffer: body)
            let detail = (try? JSONParser.parse(bytes)).map { String(decoding: JSONWriter.serializeIndented($0), as: UTF8.self) }
                ?? String(decoding: bytes, as: UTF8.self)
            return GatewayHealth(url: url, status: Int(response.status.code), detail: detail)
        } catch {
            guard configuration.gatewayURL != nil else { return nil }
            return GatewayHealth(url: url, status: nil, detail: "no answer within 1 s: \(error)")
        }
    }
}

extension Console {
    /// The host and port of an `http://` or `https://` URL (the port defaulting to the scheme's).
    static func hostAndPort(_ url: String) -> (String, Int)? {
        let https = url.hasPrefix("https://")
        guard https || url.hasPrefix("http://") else { return nil }
        let rest = url.dropFirst(https ? 8 : 7)
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            let host = String(authority[authority.index(after: authority.startIndex)..<close])
            let port = authority[close...].dropFirst().hasPrefix(":") ? Int(authority[close...].dropFirst(2)) : (https ? 443 : 80)
            return port.map { (host, $0) }
        }
        let parts = authority.split(separator: ":", maxSplits: 1)
        guard let host = parts.first.map(String.init), !host.isEmpty else { return nil }
        guard parts.count == 2 else { return (host, https ? 443 : 80) }
        return Int(parts[1]).map { (host, $0) }
    }
}

/// Signed-in browsers when API keys are required: a browser presents the key once on `/login` and
/// then a random session id in an HttpOnly, SameSite=Strict cookie (never the key itself).
final class ConsoleSessions: Sendable {
    static let cookieName = "flowguard_console_session"
    private let ids = Mutex<Set<String>>([])

    func create() -> String {
        let id = Self.randomToken()
        ids.withLock { _ = $0.insert(id) }
        return id
    }

    func remove(_ id: String) {
        ids.withLock { _ = $0.remove(id) }
    }

    /// The request's valid session id, if it has one.
    func session(of request: Request) -> String? {
        guard let header = request.headers[.cookie] else { return nil }
        for part in header.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces() }
            if pair.count == 2, pair[0] == Self.cookieName, ids.withLock({ $0.contains(pair[1]) }) { return pair[1] }
        }
        return nil
    }

    /// 32 random bytes as hex, from the system's generator.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16)
        }.joined()
    }
}

/// The producer of the produce form, created on first use: a console that never produces opens no
/// producer connections.
actor LazyProducer {
    private let configuration: KafkaConfiguration
    private let logger: Logger
    private var producer: KafkaProducer?

    init(configuration: KafkaConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    func get() throws(KafkaError) -> KafkaProducer {
        if let producer { return producer }
        var configuration = self.configuration
        // The form waits for the answer: a record that cannot be stored fails within seconds.
        if configuration.producer["message.timeout.ms"] == nil { configuration.producer["message.timeout.ms"] = "10000" }
        let created = try KafkaProducer(configuration: configuration, logger: logger)
        created.startPolling()
        producer = created
        return created
    }
}
