import FlowGuardGateway
import FlowGuardKafka
import FlowGuardSupport
import FoundationEssentials
import Hummingbird
import Logging
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `flowguard start-gateway`: the HTTP service.
struct StartGatewayCommand: Subcommand {
    static let name = "start-gateway"
    static let summary = "Serve the events API (orders, clicks, impressions) and produce every accepted event to Kafka"
    static let usage = "[--host 0.0.0.0] [--port 8000] [--reload] [--bootstrap HOST:PORT] [options]"
    static let discussion = """
        Every option can also be set in the environment or in .env (flag > environment > .env > default):
        FLOWGUARD_HOST, FLOWGUARD_PORT, FLOWGUARD_MAX_BODY, FLOWGUARD_DELIVERY_TIMEOUT, FLOWGUARD_SHUTDOWN_TIMEOUT,
        FLOWGUARD_TOPICS_FILE, FLOWGUARD_ACCESS_LOG, FLOWGUARD_MAX_IN_FLIGHT, FLOWGUARD_MAX_BATCH, FLOWGUARD_MAX_CONCURRENT_BATCHES,
        FLOWGUARD_DEDUP_WINDOW, FLOWGUARD_DEDUP_CAPACITY, FLOWGUARD_API_KEYS_FILE, FLOWGUARD_API_KEYS (digests, comma-separated),
        FLOWGUARD_CORS_ORIGINS (comma-separated). Kafka: --bootstrap > KAFKA_BOOTSTRAP_SERVERS > a running
        dev-cluster > an embedded in-memory cluster started in this process (development only).
        Exit codes: 0 after a clean shutdown (SIGINT/SIGTERM), 1 when it cannot start, 64 for a usage error.
        """
    static let options = [
        CommandOption("host", value: "HOST", help: "address to listen on (default 0.0.0.0)"),
        CommandOption("port", value: "PORT", help: "port to listen on (default 8000)"),
        CommandOption("reload", help: "restart in place when the binary or a config file changes (development)"),
        CommandOption("bootstrap", value: "HOST:PORT", help: "Kafka bootstrap servers"),
        CommandOption("topics", value: "FILE", help: "topics file for the embedded cluster (default config/kafka/topics.yaml)"),
        CommandOption("max-body", value: "BYTES", help: "largest request body (default 65536)"),
        CommandOption("delivery-timeout", value: "DURATION", help: "time Kafka has to acknowledge an event before 504 (default 30s)"),
        CommandOption("shutdown-timeout", value: "DURATION", help: "time to drain requests and flush on shutdown (default 10s)"),
        CommandOption("access-log", value: "on|off", help: "one log line per request (default on)"),
        CommandOption("max-in-flight", value: "N", help: "events waiting for Kafka at once before 503 (default 20000)"),
        CommandOption("max-delivery-latency", value: "DURATION", help: "refuse events while Kafka's recent latency is above this (default 5s)"),
        CommandOption("max-batch", value: "N", help: "events in one batch request (default 1000)"),
        CommandOption("max-batch-body", value: "BYTES", help: "largest batch body (default 5242880)"),
        CommandOption(
            "max-concurrent-batches", value: "N",
            help: "batch requests processed at once; others wait, then 503 (default 2 per core: \(GatewayConfiguration.defaultMaxConcurrentBatches))"
        ),
        CommandOption("dedup-window", value: "DURATION", help: "how long a retried event_id is recognised (default 15m)"),
        CommandOption("dedup-capacity", value: "N", help: "event ids remembered for deduplication (default 250000)"),
        CommandOption("api-keys-file", value: "FILE", help: "SHA-256 hex digests of accepted API keys, one per line (or FLOWGUARD_API_KEYS)"),
        CommandOption("protect-metrics", help: "require the API key for /, /health and /metrics too"),
        CommandOption("cors-origin", value: "ORIGIN", help: "allow browser requests from ORIGIN (repeatable; * for any)", repeatable: true),
        CommandOption("max-connections", value: "N", help: "open connections at most (default 4096; lowered, with a warning, to fit the open-file limit)"),
        CommandOption("header-timeout", value: "DURATION", help: "time a client has to send a request head (default 10s)"),
        CommandOption("body-timeout", value: "DURATION", help: "time a client has to send a request body (default 30s)"),
        CommandOption(
            "event-fast-path", value: "on|off",
            help: "answer single events on the connection's event loop, past the router (default on; off only to compare)"
        ),
    ]

    static func run(_ arguments: ParsedArguments, context: CommandContext) async throws -> Int32 {
        try arguments.expectNoPositionals()
        let settings = Settings(arguments: arguments, environment: context.environment)
        let defaults = GatewayConfiguration()
        var configuration = GatewayConfiguration(
            host: settings.string("host", env: "FLOWGUARD_HOST") ?? defaults.host,
            port: try settings.int("port", env: "FLOWGUARD_PORT", in: 0...65535) ?? defaults.port,
            maxBodyBytes: try settings.int("max-body", env: "FLOWGUARD_MAX_BODY", in: 64...(64 * 1024 * 1024)) ?? defaults.maxBodyBytes,
            maxBatch: try settings.int("max-batch", env: "FLOWGUARD_MAX_BATCH", in: 1...100_000) ?? defaults.maxBatch,
            maxBatchBodyBytes: try settings.int("max-batch-body", env: "FLOWGUARD_MAX_BATCH_BODY", in: 64...(256 * 1024 * 1024)) ?? defaults.maxBatchBodyBytes,
            maxConcurrentBatches: try settings.int("max-concurrent-batches", env: "FLOWGUARD_MAX_CONCURRENT_BATCHES", in: 1...10_000)
                ?? defaults.maxConcurrentBatches,
            deliveryTimeout: try settings.duration("delivery-timeout", env: "FLOWGUARD_DELIVERY_TIMEOUT") ?? defaults.deliveryTimeout,
            shutdownTimeout: try settings.duration("shutdown-timeout", env: "FLOWGUARD_SHUTDOWN_TIMEOUT") ?? defaults.shutdownTimeout,
            accessLog: try settings.bool("access-log", env: "FLOWGUARD_ACCESS_LOG") ?? defaults.accessLog,
            maxInFlight: try settings.int("max-in-flight", env: "FLOWGUARD_MAX_IN_FLIGHT", in: 1...10_000_000) ?? defaults.maxInFlight,
            maxDeliveryLatency: try settings.duration("max-delivery-latency", env: "FLOWGUARD_MAX_DELIVERY_LATENCY") ?? defaults.maxDeliveryLatency,
            deduplicationWindow: try settings.duration("dedup-window", env: "FLOWGUARD_DEDUP_WINDOW") ?? defaults.deduplicationWindow,
            deduplicationCapacity: try settings.int("dedup-capacity", env: "FLOWGUARD_DEDUP_CAPACITY", in: 1...100_000_000) ?? defaults.deduplicationCapacity,
            protectMetrics: arguments.has("protect-metrics"),
            headerTimeout: try settings.duration("header-timeout", env: "FLOWGUARD_HEADER_TIMEOUT") ?? defaults.headerTimeout,
            bodyTimeout: try settings.duration("body-timeout", env: "FLOWGUARD_BODY_TIMEOUT") ?? defaults.bodyTimeout,
            maxConnections: try settings.int("max-connections", env: "FLOWGUARD_MAX_CONNECTIONS", in: 1...1_000_000) ?? defaults.maxConnections,
            eventFastPath: try settings.bool("event-fast-path", env: "FLOWGUARD_EVENT_FAST_PATH") ?? defaults.eventFastPath
        )
        configuration.corsOrigins = arguments.strings("cors-origin").flatMap { $0.split(separator: ",").map(String.init) }
        if configuration.corsOrigins.isEmpty, let origins = context.environment["FLOWGUARD_CORS_ORIGINS"] {
            configuration.corsOrigins = origins.split(separator: ",").map { $0.trimmingSpaces() }
        }
        if let path = settings.string("api-keys-file", env: "FLOWGUARD_API_KEYS_FILE") {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw CommandFailure("cannot read the API keys file \(path)")
            }
            configuration.apiKeyDigests = text.split(whereSeparator: \.isNewline).map(String.init)
        } else if let digests = context.environment["FLOWGUARD_API_KEYS"] {
            configuration.apiKeyDigests = digests.split(separator: ",").map(String.init)
        }
        let topicsPath = settings.string("topics", env: "FLOWGUARD_TOPICS_FILE") ?? "config/kafka/topics.yaml"
        let logger = context.logger
        fitConnectionsToOpenFileLimit(&configuration, limit: OpenFileLimit.current(), logger: logger)

        var services: [any Service] = []
        var launcher: EmbeddedClusterLauncher?
        let target: KafkaTarget
        if let resolution = context.bootstrap(arguments) {
            target = KafkaTarget(bootstrapServers: resolution.bootstrapServers, embedded: resolution.isEmbeddedCluster)
            logger.info(
                "Kafka from \(resolution.source)",
                metadata: [LoggingKeys.kafkaBootstrap: .string(resolution.bootstrapServers)]
            )
        } else {
            let started = try EmbeddedClusterLauncher.start(brokers: 3, topicsPath: topicsPath, owner: name, context: context)
            launcher = started
            services.append(started.cluster)
            target = KafkaTarget(bootstrapServers: started.cluster.bootstrapServers, embedded: true)
        }
        defer { launcher?.stop() }

        var kafkaConfiguration = KafkaConfiguration(bootstrapServers: target.bootstrapServers, environment: context.environment)
        if kafkaConfiguration.producer["message.timeout.ms"] == nil {
            kafkaConfiguration.producer["message.timeout.ms"] = String(configuration.deliveryTimeout.milliseconds)
        }
        logger.info(
            "Producer configuration",
            metadata: ["kafka.properties": .string(KafkaConfiguration.redacted(kafkaConfiguration.producerProperties()).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))]
        )
        let producer: KafkaProducer
        do {
            producer = try KafkaProducer(configuration: kafkaConfiguration, shutdownFlushTimeout: configuration.shutdownTimeout, logger: logger)
        } catch {
            throw CommandFailure("cannot create the Kafka producer: \(error)")
        }

        var groupServices: [ServiceGroupConfiguration.ServiceConfiguration] = []
        var watcher: ReloadWatcher?
        if arguments.has("reload") {
            let executable = CommandLine.arguments.first.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? ""
            let reloadWatcher = ReloadWatcher(paths: [executable, topicsPath, ".env"], logger: logger)
            watcher = reloadWatcher
            groupServices.append(.init(service: reloadWatcher, successTerminationBehavior: .gracefullyShutdownGroup))
        }
        let application = try buildGateway(
            configuration: configuration, producer: producer, kafka: target, extraServices: services, logger: logger
        )
        groupServices.insert(.init(service: application), at: 0)
        if !configuration.apiKeyDigests.isEmpty {
            logger.info("API keys required", metadata: ["auth.keys": "\(configuration.apiKeyDigests.filter { !$0.hasPrefix("#") && !$0.isEmpty }.count)"])
        }
        logger.notice(
            "FlowGuard gateway listening on http://\(configuration.host):\(configuration.port)",
            metadata: ["flowguard.version": .string(FlowGuardCLI.version), LoggingKeys.kafkaBootstrap: .string(target.bootstrapServers)]
        )
        var groupConfiguration = ServiceGroupConfiguration(
            services: groupServices, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
        )
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownTimeout * 2
        do {
            try await ServiceGroup(configuration: groupConfiguration).run()
        } catch {
            let text = "\(error)"
            if text.contains("Address already in use") || text.contains("EADDRINUSE") {
                throw CommandFailure("cannot listen on \(configuration.host):\(configuration.port): address already in use")
            }
            throw CommandFailure("the gateway stopped: \(text)")
        }
        // A shutdown signal ends the process; only a changed file restarts it.
        if watcher?.fileChanged == true {
            launcher?.stop()
            restartInPlace(logger: logger)
        }
        logger.notice("FlowGuard gateway stopped")
        return ExitCode.success
    }

    /// Lowers `maxConnections` to what the open-file limit leaves room for. Clients past the cap wait
    /// in the listen queue (its backlog is 256; the kernel drops connection attempts past that and
    /// clients retry). Without the cap the process would run out of descriptors, and then every new one
    /// fails with `EMFILE`: Kafka reconnects and an embedded cluster's sockets as well as clients.
    static func fitConnectionsToOpenFileLimit(_ configuration: inout GatewayConfiguration, limit: OpenFileLimit?, logger: Logger) {
        guard let limit else { return }
        let capacity = limit.connectionCapacity()
        guard capacity < configuration.maxConnections else {
            logger.info("Open file limit", metadata: ["process.open_files": "\(limit.soft)", "http.max_connections": "\(configuration.maxConnections)"])
            return
        }
        logger.warning(
            "The open file limit, \(limit), leaves room for \(capacity) connections, not --max-connections \(configuration.maxConnections): serving at most \(capacity) at once. Raise the hard limit (ulimit -Hn, systemd LimitNOFILE=) to serve more",
            metadata: ["process.open_files": "\(limit.soft)", "http.max_connections": "\(capacity)"]
        )
        configuration.maxConnections = capacity
    }

    /// Replaces this process with a fresh copy of the binary, same arguments.
    private static func restartInPlace(logger: Logger) -> Never {
        let arguments = CommandLine.arguments
        var cArguments = arguments.map { strdup($0) } + [nil]
        execv(arguments[0], &cArguments)
        logger.critical("Restart failed: execv \(arguments[0]) errno \(errno)")
        exit(1)
    }
}

/// A setting read from a flag, else an environment variable (process, then `.env`).
struct Settings {
    let arguments: ParsedArguments
    let environment: FlowGuardSupport.Environment

    func string(_ flag: String, env: String) -> String? {
        arguments.string(flag) ?? environment[env]
    }

    private func source(_ flag: String, env: String) -> String {
        arguments.has(flag) ? "--\(flag)" : env
    }

    func int(_ flag: String, env: String, in range: ClosedRange<Int>) throws(UsageError) -> Int? {
        guard let text = string(flag, env: env) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw UsageError("\(source(flag, env: env)) must be an integer from \(range.lowerBound) to \(range.upperBound), got '\(text)'", command: arguments.command)
        }
        return value
    }

    func duration(_ flag: String, env: String) throws(UsageError) -> Duration? {
        guard let text = string(flag, env: env) else { return nil }
        guard let value = Duration.parse(text), value > .zero else {
            throw UsageError("\(source(flag, env: env)) must be a positive duration such as 500ms, 30s or 2m, got '\(text)'", command: arguments.command)
        }
        return value
    }

    func bool(_ flag: String, env: String) throws(UsageError) -> Bool? {
        guard let text = string(flag, env: env)?.lowercased() else { return nil }
        switch text {
        case "on", "true", "1", "yes": return true
        case "off", "false", "0", "no": return false
        default: throw UsageError("\(source(flag, env: env)) must be on or off, got '\(text)'", command: arguments.command)
        }
    }
}
