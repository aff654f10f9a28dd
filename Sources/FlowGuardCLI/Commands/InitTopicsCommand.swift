import FlowGuardConfig
import FlowGuardKafka
import FlowGuardSupport
import Logging

/// `flowguard init-topics`: creates the topics of topics.yaml that the cluster lacks.
struct InitTopicsCommand: Subcommand {
    static let name = "init-topics"
    static let summary = "Create the topics of topics.yaml that are missing; report drift of the others"
    static let usage = "[--topics FILE] [--dry-run] [--strict] [--timeout 30s] [--bootstrap HOST:PORT]"
    static let discussion = """
        One line per topic: created, exists, drift, or would create (--dry-run). Existing topics are never changed.
        Exit codes: 0 every topic exists or was created; 1 a topic could not be created, Kafka did not answer
        within --timeout, or (with --strict) a topic differs from the file.
        """
    /// The options' table.
    enum Option {
        static let dryRun = CommandOption("dry-run", help: "print the plan, change nothing")
        static let strict = CommandOption("strict", help: "exit 1 when an existing topic differs from the file")
        static let timeout = CommandOption("timeout", value: "DURATION", default: defaultTimeout.optionText, help: "deadline of each Kafka request")
        static let defaultTimeout = Duration.seconds(30)
    }

    static let options: [CommandOption] = [
        .topicsFile, Option.dryRun, Option.strict, Option.timeout, .bootstrap,
    ]

    static let environmentVariables: [EnvironmentVariable] = KafkaConfiguration.environmentVariables

    static func run(_ arguments: ParsedArguments, context: CommandContext) async throws -> Int32 {
        try arguments.expectNoPositionals()
        let path = arguments.string(.topicsFile) ?? TopicsFile.defaultPath
        let timeout = try arguments.duration(Option.timeout) ?? Option.defaultTimeout
        let dryRun = arguments.has(Option.dryRun)
        let strict = arguments.has(Option.strict)

        let file: TopicsFile
        do {
            file = try TopicsFile.load(path: path)
        } catch {
            throw CommandFailure(error.description)
        }
        let resolution = try context.requireBootstrap(arguments)
        let admin = try KafkaAdmin(
            configuration: KafkaConfiguration(bootstrapServers: resolution.bootstrapServers, environment: context.environment),
            logger: context.logger
        )
        let metadata: ClusterMetadata
        do {
            metadata = try await admin.metadata(timeout: timeout)
        } catch {
            throw CommandFailure("Kafka at \(resolution.bootstrapServers) (\(resolution.source)) did not answer within \(timeout): \(error)")
        }
        let isEmbedded = resolution.isEmbeddedCluster

        let plan = TopicPlan(file: file, metadata: metadata, verifyReplication: !isEmbedded)
        let width = (file.topics.map(\.name.count).max() ?? 0) + 2
        func line(_ name: String, _ status: String, _ detail: String) {
            context.output.print(name.padded(to: width) + status.padded(to: 14) + detail)
        }
        for entry in plan.entries {
            switch entry.status {
            case .exists(let note):
                line(entry.topic.name, "exists", note)
            case .drift(let differences):
                line(entry.topic.name, "drift", differences.joined(separator: "; "))
            case .missing:
                if dryRun {
                    line(entry.topic.name, "would create", "\(entry.topic.partitions) partitions, replication \(entry.topic.replicationFactor)")
                }
            }
        }
        var failed = false
        let missing = plan.entries.filter { if case .missing = $0.status { return true } else { return false } }.map(\.topic)
        if !missing.isEmpty && !dryRun {
            do {
                let results = try await admin.createTopics(missing, timeout: timeout)
                for topic in missing {
                    switch results[topic.name] {
                    case .some(.none):
                        line(topic.name, "created", "\(topic.partitions) partitions, replication \(topic.replicationFactor)")
                    case .some(.some(let error)):
                        failed = true
                        line(topic.name, "error", error.description)
                    case .none:
                        failed = true
                        line(topic.name, "error", "the cluster returned no result for this topic")
                    }
                }
            } catch {
                var message = "cannot create \(missing.map(\.name).joined(separator: ", ")): \(error.message)"
                if isEmbedded || error.code == .unsupported {
                    message += " (librdkafka's embedded development cluster does not support CreateTopics: add the topic to \(path) and restart it)"
                }
                throw CommandFailure(message)
            }
        }
        if failed { return ExitCode.failure }
        if strict && plan.hasDrift { return ExitCode.failure }
        return ExitCode.success
    }
}
