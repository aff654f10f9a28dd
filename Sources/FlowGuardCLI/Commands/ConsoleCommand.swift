import FlowGuardAttribution
import FlowGuardConfig
import FlowGuardConsole
import FlowGuardGateway
import FlowGuardKafka
import FlowGuardSupport
import FoundationEssentials
import Logging
import ServiceLifecycle

/// `flowguard console`: the web console of a cluster (topics, messages, consumer groups, attribution, produce).
struct ConsoleCommand: Subcommand {
    static let name = "console"
    static let summary = "Serve the web console: overview, topics, message browser, consumer groups, attribution, produce (like Kafka UI)"
    static let usage = "[--host 127.0.0.1] [--port 8080] [--bootstrap HOST:PORT] [--gateway URL] [--read-only] [--api-keys-file FILE] [--group G]... [--attribution-topic TOPIC]"
    static let discussion = """
        Pages at http://HOST:PORT/, their JSON API under /api/ (described by /api/openapi.json). start-gateway runs
        the same console beside the gateway (its --console option). Clusters that cannot list consumer groups
        (the embedded one) show the groups named with --group. /attribution adds up what flowguard attribute wrote
        to --attribution-topic over a time range: conversions and revenue by model and by ad.
        Exit codes: 0 after a clean shutdown (SIGINT/SIGTERM), 1 when it cannot start, 64 for a usage error.
        """

    /// The options' table.
    enum Option {
        static let host = CommandOption("host", value: "HOST", environment: "FLOWGUARD_CONSOLE_HOST", default: "127.0.0.1", help: "address to listen on")
        static let port = CommandOption("port", value: "PORT", environment: "FLOWGUARD_CONSOLE_PORT", default: "8080", help: "port to listen on")
        static let gateway = CommandOption(
            "gateway", value: "URL", environment: "FLOWGUARD_CONSOLE_GATEWAY", default: "http://localhost:8000 when it answers",
            help: "the gateway whose /health the overview shows and that produce can send through"
        )
        static let readOnly = CommandOption("read-only", environment: "FLOWGUARD_CONSOLE_READ_ONLY", help: "no produce and no offset reset")
        static let group = CommandOption(
            "group", value: "G", environment: "FLOWGUARD_CONSOLE_GROUPS",
            help: "a consumer group to show where the cluster cannot list groups (repeatable or comma-separated)", repeatable: true
        )
        static let scanLimit = CommandOption(
            "scan-limit", value: "N", environment: "FLOWGUARD_CONSOLE_SCAN_LIMIT", default: "100000", help: "records a filtered search reads at most"
        )
        static let attributionTopic = CommandOption(
            "attribution-topic", value: "TOPIC", environment: "FLOWGUARD_CONSOLE_ATTRIBUTION_TOPIC", default: AttributedOrder.defaultTopic,
            help: "the topic flowguard attribute writes (its --output), which the attribution page adds up"
        )
        static let attributionScanLimit = CommandOption(
            "attribution-scan-limit", value: "N", environment: "FLOWGUARD_CONSOLE_ATTRIBUTION_SCAN_LIMIT", default: "200000",
            help: "records the attribution page reads at most; past it, the newest of its time range, and it says so"
        )
        static let kafkaTimeout = CommandOption(
            "kafka-timeout", value: "DURATION", environment: "FLOWGUARD_CONSOLE_KAFKA_TIMEOUT", default: "5s",
            help: "deadline of every Kafka call; past it pages show cached metadata or a 503"
        )
    }

    static let options: [CommandOption] = [
        Option.host, Option.port, .bootstrap, Option.gateway, Option.readOnly, StartGatewayCommand.Option.apiKeysFile, Option.group,
        Option.scanLimit, Option.attributionTopic, Option.attributionScanLimit, Option.kafkaTimeout, .topicsFile,
    ]

    static let environmentVariables = KafkaConfiguration.environmentVariables

    /// The console's settings from the flags and the environment (host and port are the caller's).
    /// - Throws: `UsageError` naming the flag, `CommandFailure` for an unreadable or malformed keys file.
    static func configuration(_ arguments: ParsedArguments, host: String, port: Int, embedded: Bool) throws -> ConsoleConfiguration {
        var configuration = ConsoleConfiguration(host: host, port: port)
        configuration.readOnly = arguments.has(Option.readOnly) ? try arguments.flag(Option.readOnly) : false
        if let url = arguments.string(Option.gateway) {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw UsageError("--gateway must be an http:// or https:// URL, got '\(url)'", command: name)
            }
            configuration.gatewayURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        }
        configuration.groups = arguments.has(Option.group)
            ? arguments.strings(Option.group).flatMap { $0.split(separator: ",").map { $0.trimmingSpaces() } }.filter { !$0.isEmpty }
            : []
        configuration.scanLimit = try arguments.int(Option.scanLimit, in: 1...100_000_000) ?? configuration.scanLimit
        if let topic = arguments.string(Option.attributionTopic) {
            guard !topic.isEmpty else { throw UsageError("--attribution-topic must name a topic", command: name) }
            configuration.attributionTopic = topic
        }
        configuration.attributionScanLimit = try arguments.int(Option.attributionScanLimit, in: 1...100_000_000) ?? configuration.attributionScanLimit
        configuration.kafkaTimeout = try arguments.duration(Option.kafkaTimeout) ?? configuration.kafkaTimeout
        configuration.topicsFile = try? TopicsFile.load(path: arguments.string(.topicsFile) ?? TopicsFile.defaultPath)
        configuration.embeddedCluster = embedded
        if let path = arguments.string(StartGatewayCommand.Option.apiKeysFile) {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw CommandFailure("cannot read the API keys file \(path)")
            }
            configuration.apiKeys = try APIKeyDigests(lines: text.split(whereSeparator: \.isNewline).map(String.init))
        }
        return configuration
    }

    static func run(_ arguments: ParsedArguments, context: CommandContext) async throws -> Int32 {
        try arguments.expectNoPositionals()
        let resolution = try context.requireBootstrap(arguments)
        let configuration = try configuration(
            arguments, host: arguments.string(Option.host) ?? "127.0.0.1", port: try arguments.int(Option.port, in: 0...65535) ?? 8080,
            embedded: resolution.isEmbeddedCluster
        )
        let logger = context.logger
        let console: Console
        do {
            console = try Console(
                configuration: configuration,
                kafka: KafkaConfiguration(bootstrapServers: resolution.bootstrapServers, environment: context.environment),
                logger: logger
            )
        } catch {
            throw CommandFailure("cannot create the Kafka clients: \(error)")
        }
        warnIfPublic(configuration, logger: logger)
        let application = buildConsole(console, logger: logger) {
            logger.notice(
                "FlowGuard console listening on \(url(configuration))",
                metadata: [LoggingKeys.kafkaBootstrap: .string(resolution.bootstrapServers), "kafka.source": .string("\(resolution.source)")]
            )
        }
        var groupConfiguration = ServiceGroupConfiguration(
            services: [.init(service: application)], gracefulShutdownSignals: shutdownSignals, logger: logger
        )
        // Live streams end within a poll of the shutdown; anything else that hangs is cut off here.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(10)
        let group = ServiceGroup(configuration: groupConfiguration)
        do {
            try await group.run()
        } catch {
            let text = "\(error)"
            if text.contains("Address already in use") || text.contains("EADDRINUSE") {
                throw CommandFailure("cannot listen on \(configuration.host):\(configuration.port): address already in use")
            }
            throw CommandFailure("the console stopped: \(text)")
        }
        logger.notice("FlowGuard console stopped")
        return ExitCode.success
    }

    /// The address a browser on this machine opens.
    static func url(_ configuration: ConsoleConfiguration) -> String {
        let host = ["0.0.0.0", "::", ""].contains(configuration.host) ? "localhost" : configuration.host
        return "http://\(host.contains(":") ? "[\(host)]" : host):\(configuration.port)/"
    }

    /// Says loudly that anyone who reaches the address can read every record (and write, unless read-only).
    static func warnIfPublic(_ configuration: ConsoleConfiguration, logger: Logger) {
        guard configuration.listensPublicly, configuration.apiKeys.isEmpty else { return }
        logger.warning(
            "THE CONSOLE LISTENS ON \(configuration.host):\(configuration.port) WITHOUT API KEYS: anyone who reaches this address can read every record\(configuration.readOnly ? "" : ", produce and reset offsets"). Use --host 127.0.0.1 or --api-keys-file FILE"
        )
    }
}
