import FlowGuardAttribution
import FlowGuardConfig
import FlowGuardKafka
import FlowGuardSupport
import Hummingbird
import Logging
import ServiceLifecycle

/// `flowguard attribute`: credits every order to the ad that led to it, as a consumer group.
struct AttributeCommand: Subcommand {
    static let name = "attribute"
    static let summary = "Credit every order to the user's last click (or impression) before it, exactly once, as a consumer group"
    static let usage = "[--group G] [--click-window D] [--view-window D] [--allowed-lateness D] [--output TOPIC] [--metrics-port N] [options]"
    static let discussion = """
        Reads raw.orders.v1 as consumer group --group and, beside each order partition p it is given, the click
        partitions p and p+3 of raw.clicks.v1 (which hold the same users). Each order is credited to the user's last
        click within --click-window before it, else the last impression within --view-window, else to nothing, by the
        events' own timestamps, and written to --output keyed by user_id. An order waits until the clicks of its
        partitions were read past its time, or for --allowed-lateness once they were read to their end. Probe orders
        (health-check --probe) are counted and skipped. Start more instances with the same --group to share the work.
        Metrics on http://127.0.0.1:PORT/metrics. Details, and why each order is written exactly once: docs/attribute.md.
        Exit codes: 0 on SIGTERM/SIGINT, 1 when the topics do not fit together or Kafka fails, 64 for a usage error.
        """
    /// The options' table.
    enum Option {
        private static let windows = AttributionWindows()
        static let group = CommandOption("group", value: "G", default: "flowguard-attribution", help: "the consumer group the instances share")
        static let clickWindow = CommandOption("click-window", value: "DURATION", default: windows.click.optionText, help: "a click credits orders at most this long after it")
        static let viewWindow = CommandOption("view-window", value: "DURATION", default: windows.view.optionText, help: "with no click, an impression credits orders at most this long after it")
        static let allowedLateness = CommandOption(
            "allowed-lateness", value: "DURATION", default: windows.allowedLateness.optionText,
            help: "how long an order waits, once its click partitions are read to their end, for a click before it"
        )
        static let outOfOrder = CommandOption(
            "out-of-order", value: "DURATION", default: windows.outOfOrderness.optionText,
            help: "how far behind a click partition's latest time a later click of it may be"
        )
        static let output = CommandOption("output", value: "TOPIC", default: AttributedOrder.defaultTopic, help: "the topic of the attributed orders")
        static let metricsPort = CommandOption("metrics-port", value: "N", default: "9103", help: "port of GET /metrics (on --metrics-host); 0: none")
        static let metricsHost = MetricsEndpoint.host
        static let transactions = CommandOption(
            "transactions", value: "MODE", default: "auto",
            help: "on, off, or auto: on unless Kafka is the embedded cluster, which is not transactional"
        )
    }

    static let options: [CommandOption] = [
        Option.group, Option.clickWindow, Option.viewWindow, Option.allowedLateness, Option.outOfOrder, Option.output, Option.metricsPort,
        Option.metricsHost, Option.transactions, .bootstrap,
    ]

    static let environmentVariables: [EnvironmentVariable] = KafkaConfiguration.environmentVariables

    static func run(_ arguments: ParsedArguments, context: CommandContext) async throws -> Int32 {
        try arguments.expectNoPositionals()
        var configuration = try configuration(from: arguments)
        let port = try arguments.int(Option.metricsPort, in: 0...65535) ?? 9103
        let resolution = try context.requireBootstrap(arguments)
        configuration.kafka = KafkaConfiguration(bootstrapServers: resolution.bootstrapServers, environment: context.environment)
        if arguments.string(Option.transactions) ?? "auto" == "auto" {
            configuration.transactional = !resolution.isEmbeddedCluster
        }
        let job = AttributionJob(configuration: configuration, logger: context.logger)
        var services: [any Service] = [job]
        if port != 0 {
            services.append(
                MetricsEndpoint.service(host: arguments.string(Option.metricsHost) ?? "127.0.0.1", port: port, logger: context.logger) {
                    ByteBuffer(string: job.metrics.exposition())
                }
            )
        }
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0, successTerminationBehavior: .gracefullyShutdownGroup) },
                gracefulShutdownSignals: shutdownSignals,
                logger: context.logger
            )
        )
        do {
            try await group.run()
        } catch let error as AttributionJobError {
            throw CommandFailure(error.description)
        }
        return ExitCode.success
    }

    /// The job's settings from the options.
    /// - Throws: `UsageError` naming the option whose value is out of range or unknown.
    /// `kafka` is left empty for the caller, which resolves it after every usage error had its chance;
    /// `--transactions auto` is left off, for the caller to decide by the cluster.
    static func configuration(from arguments: ParsedArguments) throws(UsageError) -> AttributionJobConfiguration {
        var windows = AttributionWindows()
        windows.click = try positive(Option.clickWindow, arguments) ?? windows.click
        windows.view = try positive(Option.viewWindow, arguments) ?? windows.view
        windows.allowedLateness = try arguments.duration(Option.allowedLateness) ?? windows.allowedLateness
        windows.outOfOrderness = try arguments.duration(Option.outOfOrder) ?? windows.outOfOrderness
        var configuration = AttributionJobConfiguration(kafka: KafkaConfiguration(bootstrapServers: ""), windows: windows)
        if let group = arguments.string(Option.group) {
            guard !group.isEmpty else { throw UsageError("option '--group' must not be empty", command: name) }
            configuration.groupID = group
        }
        if let output = arguments.string(Option.output) {
            guard !output.isEmpty else { throw UsageError("option '--output' must not be empty", command: name) }
            configuration.outputTopic = output
        }
        switch arguments.string(Option.transactions) ?? "auto" {
        case "on": configuration.transactional = true
        case "off": configuration.transactional = false
        case "auto": configuration.transactional = false
        case let other: throw UsageError("option '--transactions' must be on, off or auto, got '\(other)'", command: name)
        }
        return configuration
    }

    private static func positive(_ option: CommandOption, _ arguments: ParsedArguments) throws(UsageError) -> Duration? {
        guard let duration = try arguments.duration(option) else { return nil }
        guard duration > .zero else { throw UsageError("option '--\(option.name)' must be longer than 0", command: name) }
        return duration
    }
}
