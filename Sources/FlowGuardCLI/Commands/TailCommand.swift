import FlowGuardConfig
import FlowGuardKafka
import FlowGuardSupport
import FoundationEssentials
import Logging
import UnixSignals

/// `flowguard tail TOPIC...`: prints the records of topics as they arrive.
struct TailCommand: Subcommand {
    static let name = "tail"
    static let summary = "Print the records of one or more topics as they arrive (like tail -f)"
    static let usage = "TOPIC... [--from-beginning | --last N | --offset O] [--partition P] [--max N] [--timeout D] [--filter F=V] [--format text|json|raw]"
    static let discussion = """
        Without --group nothing is committed. On a terminal each record is one readable line; piped, or with
        --format json, one JSON object per line (topic, partition, offset, timestamp, key, headers, value).
        Exit codes: 0 after --max records, --timeout idle time or Ctrl-C; 1 for an unknown topic or an
        unreachable cluster (within --timeout, default 10s for the first answer).
        """
    /// The options' table.
    enum Option {
        static let fromBeginning = CommandOption("from-beginning", help: "start at the oldest record of each partition")
        static let last = CommandOption("last", value: "N", help: "start N records before the end of each partition")
        static let offset = CommandOption("offset", value: "O", help: "start at this offset (with --partition)")
        static let partition = CommandOption("partition", value: "P", help: "read only this partition")
        static let max = CommandOption("max", value: "N", help: "stop after N records")
        static let timeout = CommandOption("timeout", value: "DURATION", help: "stop after this long without a record")
        static let group = CommandOption("group", value: "G", help: "read as consumer group G and commit offsets")
        static let filter = CommandOption("filter", value: "FIELD=VALUE", help: "only records whose JSON value has FIELD equal to VALUE (repeatable)", repeatable: true)
        static let format = CommandOption("format", value: "FORMAT", default: "text on a terminal, json otherwise", help: "text, json or raw")
    }

    static let options: [CommandOption] = [
        Option.fromBeginning, Option.last, Option.offset, Option.partition, Option.max, Option.timeout, Option.group, Option.filter, Option.format, .bootstrap,
    ]

    enum Format: String {
        case text, json, raw
    }

    static let environmentVariables: [EnvironmentVariable] = [.noColor] + KafkaConfiguration.environmentVariables

    static func run(_ arguments: ParsedArguments, context: CommandContext) async throws -> Int32 {
        let topics = arguments.positionals
        guard !topics.isEmpty else {
            throw UsageError("name at least one topic", command: name)
        }
        let startOptions = [Option.fromBeginning, Option.last, Option.offset].filter { arguments.has($0) }.map(\.name)
        guard startOptions.count <= 1 else {
            throw UsageError("--\(startOptions[0]) and --\(startOptions[1]) cannot be combined", command: name)
        }
        let partition = try arguments.int(Option.partition, in: 0...1_000_000).map { Int32($0) }
        let offset = try arguments.int(Option.offset, in: 0...Int.max).map { Int64($0) }
        if offset != nil && partition == nil {
            throw UsageError("--offset needs --partition", command: name)
        }
        let last = try arguments.int(Option.last, in: 1...Int.max).map { Int64($0) }
        let maxRecords = try arguments.int(Option.max, in: 1...Int.max)
        let idleTimeout = try arguments.duration(Option.timeout)
        let formatText = arguments.string(Option.format) ?? (CommandOutput.isTerminal ? "text" : "json")
        guard let format = Format(rawValue: formatText) else {
            throw UsageError("--format must be text, json or raw, got '\(formatText)'", command: name)
        }
        let filters = try arguments.strings(Option.filter).map { text throws(UsageError) -> (String, String) in
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw UsageError("--filter must be FIELD=VALUE, got '\(text)'", command: name)
            }
            return (String(text[..<equals]), String(text[text.index(after: equals)...]))
        }

        let resolution = try context.requireBootstrap(arguments)
        let configuration = KafkaConfiguration(bootstrapServers: resolution.bootstrapServers, environment: context.environment)
        let admin = try KafkaAdmin(configuration: configuration, logger: context.logger)
        let metadataTimeout = idleTimeout ?? .seconds(10)
        let metadata: ClusterMetadata
        do {
            metadata = try await admin.metadata(timeout: metadataTimeout)
        } catch {
            throw CommandFailure("Kafka at \(resolution.bootstrapServers) did not answer within \(metadataTimeout): \(error.message)")
        }
        var assignments: [KafkaConsumer.Assignment] = []
        for topic in topics {
            guard let described = metadata.topic(named: topic) else {
                throw CommandFailure("topic '\(topic)' does not exist at \(resolution.bootstrapServers)")
            }
            let partitions = described.partitions.map(\.id)
            if let partition, !partitions.contains(partition) {
                throw CommandFailure("topic '\(topic)' has no partition \(partition) (it has \(partitions.count))")
            }
            let start: KafkaConsumer.Offset =
                if let offset { .exactly(offset) }
                else if let last { .last(last) }
                else if arguments.has(Option.fromBeginning) { .beginning }
                else { .end }
            for id in partitions where partition == nil || partition == id {
                assignments.append(.init(topic: topic, partition: id, offset: start))
            }
        }

        let group = arguments.string(Option.group)
        var consumerConfiguration = configuration
        if group != nil {
            consumerConfiguration.consumer["auto.offset.reset"] = arguments.has(Option.fromBeginning) ? "earliest" : "latest"
        }
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, groupID: group, logger: context.logger)
        if group != nil {
            try consumer.subscribe(topics: topics)
        } else {
            try consumer.assign(assignments)
        }

        let printer = RecordPrinter(format: format, colour: format == .text && CommandOutput.isTerminal && context.environment[EnvironmentVariable.noColor.name] == nil)
        let count = await withTaskGroup(of: Int?.self) { tasks in
            tasks.addTask {
                var printed = 0
                var lastRecord = ContinuousClock.now
                while !Task.isCancelled {
                    let record: KafkaRecord?
                    do {
                        record = try await consumer.poll(timeout: .milliseconds(200))
                    } catch {
                        context.output.printError("flowguard tail: \(error)")
                        continue
                    }
                    guard let record else {
                        if let idleTimeout, ContinuousClock.now - lastRecord >= idleTimeout { break }
                        continue
                    }
                    lastRecord = .now
                    guard RecordPrinter.matches(record, filters) else { continue }
                    context.output.print(printer.line(for: record))
                    printed += 1
                    if let maxRecords, printed >= maxRecords { break }
                }
                return printed
            }
            tasks.addTask {
                // Ctrl-C or SIGTERM: stop and report the count.
                for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) { return nil }
                return nil
            }
            var result = 0
            for await value in tasks {
                if let value { result = value }
                tasks.cancelAll()
                if value != nil { break }
            }
            return result
        }
        if group != nil {
            try? await consumer.commit()
        }
        await consumer.close()
        context.output.printError("flowguard tail: \(count) record\(count == 1 ? "" : "s")")
        return ExitCode.success
    }
}
