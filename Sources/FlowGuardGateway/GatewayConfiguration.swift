import FoundationEssentials

/// How the gateway serves: address, limits, time-outs, access control.
public struct GatewayConfiguration: Sendable {
    /// The address to listen on.
    public var host: String
    /// The port to listen on.
    public var port: Int
    /// The largest single-event body, in bytes; larger ones get 413 before they are read.
    public var maxBodyBytes: Int
    /// The most events in one batch request.
    public var maxBatch: Int
    /// The largest batch body, in bytes.
    public var maxBatchBodyBytes: Int
    /// At most this many batch requests are processed at once; the others wait their turn, at most
    /// `maxDeliveryLatency`, then get 503.
    public var maxConcurrentBatches: Int
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
    /// At most this many events wait for Kafka at once; beyond, 503 with `Retry-After`.
    public var maxInFlight: Int
    /// Refuse new events (503) while the recent delivery latency is above this.
    public var maxDeliveryLatency: Duration
    /// How long a retry with the same `event_id` is recognised.
    public var deduplicationWindow: Duration
    /// The most event ids remembered for deduplication.
    public var deduplicationCapacity: Int
    /// SHA-256 digests (lower-case hex) of the accepted API keys; empty: no authentication.
    public var apiKeyDigests: [String]
    /// Also require an API key for `GET /`, `/health*` and `/metrics`.
    public var protectMetrics: Bool
    /// Origins allowed by CORS; `*` allows any (without credentials); empty: no CORS headers.
    public var corsOrigins: [String]
    /// A client must send the whole request head within this time.
    public var headerTimeout: Duration
    /// A client must send the whole body within this time after the head.
    public var bodyTimeout: Duration
    /// Idle keep-alive connections are closed after this time.
    public var idleTimeout: Duration
    /// At most this many open connections; more wait in the accept queue.
    public var maxConnections: Int
    /// Answer single events on the connection's event loop (`EventFastPath`) instead of through the
    /// router. Off is for comparison and diagnosis: the answers are the same, only slower.
    public var eventFastPath: Bool

    public init(
        host: String = "0.0.0.0",
        port: Int = 8000,
        maxBodyBytes: Int = 64 * 1024,
        maxBatch: Int = 1000,
        maxBatchBodyBytes: Int = 5 * 1024 * 1024,
        maxConcurrentBatches: Int = GatewayConfiguration.defaultMaxConcurrentBatches,
        deliveryTimeout: Duration = .seconds(30),
        shutdownTimeout: Duration = .seconds(10),
        healthRefreshInterval: Duration = .seconds(1),
        requiredTopics: [String] = ["raw.orders.v1", "raw.clicks.v1"],
        accessLog: Bool = true,
        maxInFlight: Int = 20_000,
        maxDeliveryLatency: Duration = .seconds(5),
        deduplicationWindow: Duration = .seconds(15 * 60),
        deduplicationCapacity: Int = 250_000,
        apiKeyDigests: [String] = [],
        protectMetrics: Bool = false,
        corsOrigins: [String] = [],
        headerTimeout: Duration = .seconds(10),
        bodyTimeout: Duration = .seconds(30),
        idleTimeout: Duration = .seconds(60),
        maxConnections: Int = 4096,
        eventFastPath: Bool = true
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.maxBatch = maxBatch
        self.maxBatchBodyBytes = maxBatchBodyBytes
        self.maxConcurrentBatches = maxConcurrentBatches
        self.deliveryTimeout = deliveryTimeout
        self.shutdownTimeout = shutdownTimeout
        self.healthRefreshInterval = healthRefreshInterval
        self.requiredTopics = requiredTopics
        self.accessLog = accessLog
        self.maxInFlight = maxInFlight
        self.maxDeliveryLatency = maxDeliveryLatency
        self.deduplicationWindow = deduplicationWindow
        self.deduplicationCapacity = deduplicationCapacity
        self.apiKeyDigests = apiKeyDigests
        self.protectMetrics = protectMetrics
        self.corsOrigins = corsOrigins
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.eventFastPath = eventFastPath
    }
}

extension GatewayConfiguration {
    /// Two batches per core: on two cores, about 5% less batch throughput than no limit, and a peak
    /// 10–20 MiB lower (bench/NOTES.md).
    public static var defaultMaxConcurrentBatches: Int {
        2 * ProcessInfo.processInfo.activeProcessorCount
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
