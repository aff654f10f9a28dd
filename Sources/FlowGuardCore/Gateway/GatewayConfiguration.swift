/// How the gateway serves: address, limits and time-outs.
public struct GatewayConfiguration: Sendable {
    /// The address to listen on.
    public var host: String
    /// The port to listen on.
    public var port: Int
    /// The largest request body accepted, in bytes; larger ones get 413 before they are read.
    public var maxBodyBytes: Int
    /// How long Kafka has to acknowledge an event before the client gets 504 (`message.timeout.ms`).
    public var deliveryTimeout: Duration
    /// How long shutdown waits for in-flight requests and the producer flush.
    public var shutdownTimeout: Duration
    /// How often the health monitor refreshes Kafka metadata.
    public var healthRefreshInterval: Duration
    /// The topics `/health` requires.
    public var requiredTopics: [String]
    /// Write one access log line per request.
    public var accessLog: Bool

    public init(
        host: String = "0.0.0.0",
        port: Int = 8000,
        maxBodyBytes: Int = 64 * 1024,
        deliveryTimeout: Duration = .seconds(30),
        shutdownTimeout: Duration = .seconds(10),
        healthRefreshInterval: Duration = .seconds(1),
        requiredTopics: [String] = ["raw.orders.v1", "raw.clicks.v1"],
        accessLog: Bool = true
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.deliveryTimeout = deliveryTimeout
        self.shutdownTimeout = shutdownTimeout
        self.healthRefreshInterval = healthRefreshInterval
        self.requiredTopics = requiredTopics
        self.accessLog = accessLog
    }
}

/// Which Kafka the gateway writes to, as `GET /` reports it.
public struct KafkaTarget: Sendable {
    public var bootstrapServers: String
    /// The in-process embedded (mock) cluster, for development only.
    public var embedded: Bool

    public init(bootstrapServers: String, embedded: Bool) {
        self.bootstrapServers = bootstrapServers
        self.embedded = embedded
    }
}
