import FlowGuardConfig
import FlowGuardConsole
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
        Kafka: --bootstrap > KAFKA_BOOTSTRAP_SERVERS > a running dev-cluster > an embedded in-memory cluster
        started in this process (development only).
        Exit codes: 0 after a clean shutdown (SIGINT/SIGTERM), 1 when it cannot start, 64 for a usage error.
        """

    /// The options' table; defaults come from `GatewayConfiguration()`.
    enum Option {
        private static let defaults = GatewayConfiguration()

        static let host = CommandOption("host", value: "HOST", environment: "FLOWGUARD_HOST", default: defaults.host, help: "address to listen on")
        static let port = CommandOption("port", value: "PORT", environment: "FLOWGUARD_PORT", default: "\(defaults.port)", help: "port to listen on")
        static let reload = CommandOption("reload", help: "restart in place when the binary or a config file changes (development)")
        static let maxBody = CommandOption(
            "max-body", value: "BYTES", environment: "FLOWGUARD_MAX_BODY", default: "\(defaults.maxBodyBytes)",
            help: "largest single-event body; larger get 413"
        )
        static let deliveryTimeout = CommandOption(
            "delivery-timeout", value: "DURATION", environment: "FLOWGUARD_DELIVERY_TIMEOUT", default: defaults.deliveryTimeout.optionText,
            help: "time Kafka has to acknowledge an event before 504"
        )
        static let shutdownTimeout = CommandOption(
            "shutdown-timeout", value: "DURATION", environment: "FLOWGUARD_SHUTDOWN_TIMEOUT", default: defaults.shutdownTimeout.optionText,
            help: "time to drain requests and flush on shutdown"
        )
        static let accessLog = CommandOption(
            "access-log", value: "on|off", environment: "FLOWGUARD_ACCESS_LOG", default: defaults.accessLog ? "on" : "off",
            help: "one log line per request"
        )
        static let maxInFlight = CommandOption(
            "max-in-flight", value: "N", environment: "FLOWGUARD_MAX_IN_FLIGHT", default: "\(defaults.maxInFlight)",
            help: "events waiting for Kafka at once before 503"
        )
        static let maxDeliveryLatency = CommandOption(
            "max-delivery-latency", value: "DURATION", environment: "FLOWGUARD_MAX_DELIVERY_LATENCY",
            default: defaults.maxDeliveryLatency.optionText, help: "refuse events while Kafka's recent latency is above this"
        )
        static let maxBatch = CommandOption(
            "max-batch", value: "N", environment: "FLOWGUARD_MAX_BATCH", default: "\(defaults.maxBatch)", help: "events in one batch request"
        )
        static let maxBatchBody = CommandOption(
            "max-batch-body", value: "BYTES", environment: "FLOWGUARD_MAX_BATCH_BODY", default: "\(defaults.maxBatchBodyBytes)",
            help: "largest batch body"
        )
        static let maxConcurrentBatches = CommandOption(
            "max-concurrent-batches", value: "N", environment: "FLOWGUARD_MAX_CONCURRENT_BATCHES",
            default: "2 per core",
            help: "batch requests processed at once; others wait, then 503"
        )
        static let dedupWindow = CommandOption(
            "dedup-window", value: "DURATION", environment: "FLOWGUARD_DEDUP_WINDOW", default: defaults.deduplicationWindow.optionText,
            help: "how long a retried event_id is answered as a duplicate"
        )
        static let dedupCapacity = CommandOption(
            "dedup-capacity", value: "N", environment: "FLOWGUARD_DEDUP_CAPACITY", default: "\(defaults.deduplicationCapacity)",
            help: "event ids remembered for deduplication"
        )
        static let apiKeysFile = CommandOption(
            "api-keys-file", value: "FILE", environment: "FLOWGUARD_API_KEYS_FILE",
            help: "SHA-256 hex digests of the accepted API keys, one per line; none: no key needed"
        )
        static let apiKeys = CommandOption(
            "api-keys", value: "DIGESTS", environment: "FLOWGUARD_API_KEYS",
            help: "the digests comma-separated, instead of --api-keys-file", repeatable: true
        )
        static let protectMetrics = CommandOption(
            "protect-metrics", environment: "FLOWGUARD_PROTECT_METRICS", help: "require the API key for /, /health and /metrics too"
        )
        static let corsOrigin = CommandOption(
            "cors-origin", value: "ORIGIN", environment: "FLOWGUARD_CORS_ORIGINS",
            help: "allow browser requests from ORIGIN (repeatable; * for any; the variable comma-separated)", repeatable: true
        )
        static let maxConnections = CommandOption(
            "max-connections", value: "N", environment: "FLOWGUARD_MAX_CONNECTIONS", default: "\(defaults.maxConnections)",
            help: "open connections at most; lowered, with a warning, to fit the open-file limit"
        )
        static let headerTimeout = CommandOption(
            "header-timeout", value: "DURATION", environment: "FLOWGUARD_HEADER_TIMEOUT", default: defaults.headerTimeout.optionText,
            help: "time a client has to send a request head"
        )
        static let bodyTimeout = CommandOption(
            "body-timeout", value: "DURATION", environment: "FLOWGUARD_BODY_TIMEOUT", default: defaults.bodyTimeout.optionText,
            help: "time a client has to send a request body"
        )
        static let console = CommandOption(
            "console", value: "HOST:PORT|off", environment: "FLOWGUARD_CONSOLE", default: "127.0.0.1:8080",
            help: "run the web console (flowguard console) beside the gateway; a taken port is a warning, off disables it"
        )
        static let eventFastPath = CommandOption(
            "event-fast-path", value: "on|off", environment: "FLOWGUARD_EVENT_FAST_PATH", default: defaults.eventFastPath ? "on" : "off",
            help: "answer single events on the connection's event loop, past the router (off only to compare)"
        )
    }

    static let options: [CommandOption] = [
        Option.host, Option.port, Option.reload, .bootstrap, .topicsFile, Option.maxBody, Option.deliveryTimeout,
        Option.shutdownTimeout, Option.accessLog, Option.maxInFlight, Option.maxDeliveryLatency, Option.maxBatch,
        Option.maxBatchBody, Option.maxConcurrentBatches, Option.dedupWindow, Option.dedupCapacity, Option.apiKeysFile,
        Option.apiKeys, Option.protectMetrics, Option.corsOrigin, Option.maxConnections, Option.headerTimeout,
        Option.bodyTimeout, Option.eventFastPath, Option.console,
    ]

    static let environmentVariables = KafkaConfiguration.environmentVariables

    /// The gateway's configuration from the flags and the environment.
    /// - Throws: `UsageError` naming the flag or variable whose value is out of range,
    ///   `CommandFailure` when the API keys file cannot be read.
    static func configuration(_ arguments: ParsedArguments) throws -> GatewayConfiguration {
        let defaults = GatewayConfiguration()
        var configuration = GatewayConfiguration(
            host: arguments.string(Option.host) ?? defaults.host,
            port: try arguments.int(Option.port, in: 0...65535) ?? defaults.port,
            maxBodyBytes: try arguments.int(Option.maxBody, in: 64...(64 * 1024 * 1024)) ?? defaults.maxBodyBytes,
            maxBatch: try arguments.int(Option.maxBatch, in: 1...100_000) ?? defaults.maxBatch,
            maxBatchBodyBytes: try arguments.int(Option.maxBatchBody, in: 64...(256 * 1024 * 1024)) ?? defaults.maxBatchBodyBytes,
            maxConcurrentBatches: try arguments.int(Option.maxConcurrentBatches, in: 1...10_000) ?? defaults.maxConcurrentBatches,
            deliveryTimeout: try arguments.duration(Option.deliveryTimeout) ?? defaults.deliveryTimeout,
            shutdownTimeout: try arguments.duration(Option.shutdownTimeout) ?? defaults.shutdownTimeout,
            accessLog: try arguments.bool(Option.accessLog) ?? defaults.accessLog,
            maxInFlight: try arguments.int(Option.maxInFlight, in: 1...10_000_000) ?? defaults.maxInFlight,
            maxDeliveryLatency: try arguments.duration(Option.maxDeliveryLatency) ?? defaults.maxDeliveryLatency,
            deduplicationWindow: try arguments.duration(Option.dedupWindow) ?? defaults.deduplicationWindow,
            deduplicationCapacity: try arguments.int(Option.dedupCapacity, in: 1...100_000_000) ?? defaults.deduplicationCapacity,
            protectMetrics: try arguments.flag(Option.protectMetrics),
            headerTimeout: try arguments.duration(Option.headerTimeout) ?? defaults.headerTimeout,
            bodyTimeout: try arguments.duration(Option.bodyTimeout) ?? defaults.bodyTimeout,
            maxConnections: try arguments.int(Option.maxConnections, in: 1...1_000_000) ?? defaults.maxConnections,
            eventFastPath: try arguments.bool(Option.eventFastPath) ?? defaults.eventFastPath
        )
        configuration.corsOrigins = arguments.strings(Option.corsOrigin).flatMap { $0.split(separator: ",").map { $0.trimmingSpaces() } }
        if let path = arguments.string(Option.apiKeysFile) {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw CommandFailure("cannot read the API keys file \(path)")
            }
            configuration.apiKeyDigests = text.split(whereSeparator: \.isNewline).map(String.init)
        } else {
            configuration.apiKeyDigests = arguments.strings(Option.apiKeys).flatMap { $0.split(separator: ",").map(String.init) }
        }
        return configuration
    }

    static func run(_ arguments: ParsedArguments, context: CommandContext) async throws -> Int32 {
        try arguments.expectNoPositionals()
        var configuration = try configuration(arguments)
        let consoleTarget = try consoleAddress(arguments)
        let topicsPath = arguments.string(.topicsFile) ?? TopicsFile.defaultPath
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
        logger.debug(
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
        if arguments.has(Option.reload) {
            let executable = CommandLine.arguments.first.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? ""
            let reloadWatcher = ReloadWatcher(paths: [executable, topicsPath, ".env"], logger: logger)
            watcher = reloadWatcher
            groupServices.append(.init(service: reloadWatcher, successTerminationBehavior: .gracefullyShutdownGroup))
        }
        let application = try buildGateway(
            configuration: configuration, producer: producer, kafka: target, extraServices: services, logger: logger
        )
        groupServices.insert(.init(service: application), at: 0)
        let browsable = ["0.0.0.0", "::", ""].contains(configuration.host) ? "localhost" : configuration.host
        var consoleLine = ""
        if let address = consoleTarget {
            let console = try makeConsole(
                address: address, gatewayURL: "http://\(browsable):\(configuration.port)", gateway: configuration,
                kafka: kafkaConfiguration, embedded: target.embedded, topicsPath: topicsPath, logger: logger
            )
            let consoleURL = ConsoleCommand.url(console.configuration)
            consoleLine = "; console at \(consoleURL)"
            ConsoleCommand.warnIfPublic(console.configuration, logger: logger)
            let consoleApplication = buildConsole(console, logger: logger) {
                logger.info("FlowGuard console listening on \(consoleURL)")
            }
            groupServices.append(.init(service: OptionalConsoleService(consoleApplication, address: "\(address.host):\(address.port)", logger: logger)))
        }
        if !configuration.apiKeyDigests.isEmpty {
            logger.info("API keys required", metadata: ["auth.keys": "\(configuration.apiKeyDigests.filter { !$0.hasPrefix("#") && !$0.isEmpty }.count)"])
        }
        logger.notice(
            "FlowGuard gateway listening on http://\(configuration.host):\(configuration.port); API docs at http://\(browsable):\(configuration.port)/docs\(consoleLine)",
            metadata: ["flowguard.version": .string(FlowGuardCLI.version), LoggingKeys.kafkaBootstrap: .string(target.bootstrapServers)]
        )
        var groupConfiguration = ServiceGroupConfiguration(
            services: groupServices, gracefulShutdownSignals: shutdownSignals, logger: logger
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

    /// Where `--console` asks the console to listen; nil for `off`.
    /// - Throws: `UsageError` for a value that is neither `off` nor `HOST:PORT`.
    static func consoleAddress(_ arguments: ParsedArguments) throws(UsageError) -> (host: String, port: Int)? {
        let text = arguments.string(Option.console) ?? "127.0.0.1:8080"
        if text == "off" { return nil }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw UsageError("--console must be HOST:PORT or off, got '\(text)'", command: name)
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }

    /// The console beside the gateway: the gateway's API keys, its topics file, this gateway for health and produce.
    private static func makeConsole(
        address: (host: String, port: Int), gatewayURL: String, gateway: GatewayConfiguration, kafka: KafkaConfiguration, embedded: Bool,
        topicsPath: String, logger: Logger
    ) throws -> Console {
        var configuration = ConsoleConfiguration(host: address.host, port: address.port, gatewayURL: gatewayURL, embeddedCluster: embedded)
        configuration.apiKeys = try APIKeyDigests(lines: gateway.apiKeyDigests)
        configuration.topicsFile = try? TopicsFile.load(path: topicsPath)
        do {
            return try Console(configuration: configuration, kafka: kafka, logger: logger)
        } catch {
            throw CommandFailure("cannot create the console's Kafka clients: \(error)")
        }
    }

    /// Lowers `maxConnections` to what the open-file limit leaves room for. Clients past the cap wait
    /// in the listen queue (its backlog is 256; the kernel drops connection attempts past that and
    /// clients retry). Without the cap the process would run out of descriptors, and then every new one
    /// fails with `EMFILE`: Kafka reconnects and an embedded cluster's sockets as well as clients.
    static func fitConnectionsToOpenFileLimit(_ configuration: inout GatewayConfiguration, limit: OpenFileLimit?, logger: Logger) {
        guard let limit else { return }
        let capacity = limit.connectionCapacity()
        guard capacity < configuration.maxConnections else {
            logger.debug("Open file limit", metadata: ["process.open_files": "\(limit.soft)", "http.max_connections": "\(configuration.maxConnections)"])
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
