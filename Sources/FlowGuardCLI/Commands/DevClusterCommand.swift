import FlowGuardConfig
import FlowGuardSupport
import Logging
import ServiceLifecycle

/// `flowguard dev-cluster`: runs the embedded cluster in the foreground.
struct DevClusterCommand: Subcommand {
    static let name = "dev-cluster"
    static let summary = "Run an in-memory Kafka cluster (librdkafka's mock) for development, until Ctrl-C"
    static let usage = "[--brokers N] [--topics FILE]"
    static let discussion = """
        The cluster is in memory and for development only: records are lost when it stops. Its address is
        written to .flowguard/cluster.json, where the other commands find it; the file is removed on exit.
        """
    /// The options' table.
    enum Option {
        static let brokers = CommandOption("brokers", value: "N", default: "\(defaultBrokers)", help: "number of brokers")
        static let defaultBrokers = 3
    }

    static let options: [CommandOption] = [
        Option.brokers, .topicsFile,
    ]

    static func run(_ arguments: ParsedArguments, context: CommandContext) async throws -> Int32 {
        try arguments.expectNoPositionals()
        let brokers = try arguments.int(Option.brokers, in: 1...32) ?? Option.defaultBrokers
        let topicsPath = arguments.string(.topicsFile) ?? TopicsFile.defaultPath
        let launcher = try EmbeddedClusterLauncher.start(brokers: brokers, topicsPath: topicsPath, owner: name, context: context)
        defer { launcher.stop() }

        context.output.print("Embedded Kafka (in-memory, development only): \(launcher.cluster.bootstrapServers)")
        for topic in launcher.topics.topics {
            context.output.print("  topic \(topic.name): \(topic.partitions) partitions")
        }
        context.output.print("Discovery file: \(launcher.discovery.path). Stop with Ctrl-C.")

        let group = ServiceGroup(
            configuration: .init(
                services: [launcher.cluster],
                gracefulShutdownSignals: shutdownSignals,
                logger: context.logger
            )
        )
        try await group.run()
        context.logger.info("Embedded cluster stopped")
        return ExitCode.success
    }
}
