import FlowGuardConfig
import FlowGuardSupport
import Logging
import UnixSignals

/// One `flowguard` subcommand: its name, help and options, and how it runs.
public protocol Subcommand: Sendable {
    /// The word that selects it (`start-gateway`).
    static var name: String { get }
    /// One line for the command list.
    static var summary: String { get }
    /// The usage line after `flowguard NAME`, e.g. `[--port PORT]`.
    static var usage: String { get }
    /// Longer help printed under the options (exit codes, examples); may be empty.
    static var discussion: String { get }
    /// The options it accepts besides the global ones: its table, which parsing, help and docs follow.
    static var options: [CommandOption] { get }
    /// The variables it reads besides its options' (such as the `KAFKA_*` settings of its clients).
    static var environmentVariables: [EnvironmentVariable] { get }
    /// Runs the command; returns the exit code.
    /// - Throws: `UsageError` (exit 64) or `CommandFailure` (its exit code).
    static func run(_ arguments: ParsedArguments, context: CommandContext) async throws -> Int32
}

extension Subcommand {
    public static var discussion: String { "" }
    public static var environmentVariables: [EnvironmentVariable] { [] }

    /// The signals on which a long-running command (start-gateway, console, dev-cluster, dump,
    /// attribute) drains and stops. SIGHUP is one: it is what a closed terminal sends, and its default
    /// action would end the process at once, without draining or flushing.
    static var shutdownSignals: [UnixSignal] { [.sigterm, .sigint, .sighup] }

    /// Its options and the global ones, in the order help lists them.
    static var allOptions: [CommandOption] { options + CommandOption.global }

    /// Every variable it may read: its options', then its own; what `--help` lists.
    static var readVariables: [EnvironmentVariable] {
        allOptions.compactMap { option in
            option.environment.map { EnvironmentVariable($0, help: "as \(option.label)") }
        } + environmentVariables
    }

    /// The help text: usage, summary, options, environment.
    static var help: String {
        var lines = ["Usage: flowguard \(name) \(usage)", "", summary, "", "Options:"]
        let labels = allOptions.map(\.label)
        let width = (labels.map(\.count).max() ?? 0) + 2
        for (label, option) in zip(labels, allOptions) {
            lines.append("  " + label.padded(to: width) + option.helpLine)
        }
        lines += ["", "Environment (a flag wins over its variable; the process environment over .env):"]
        let variables = readVariables
        let variableWidth = (variables.map(\.label.count).max() ?? 0) + 2
        for variable in variables {
            lines.append("  " + variable.label.padded(to: variableWidth) + variable.help)
        }
        if !discussion.isEmpty {
            lines += ["", discussion]
        }
        return lines.joined(separator: "\n")
    }
}

/// What every subcommand gets: the environment, a logger, and where to print.
public struct CommandContext: Sendable {
    public var environment: Environment
    public var logger: Logger
    /// The working directory the discovery file and `.env` are resolved against.
    public var workingDirectory: String
    public var output: CommandOutput

    public init(environment: Environment, logger: Logger, workingDirectory: String, output: CommandOutput = .standard) {
        self.environment = environment
        self.logger = logger
        self.workingDirectory = workingDirectory
        self.output = output
    }

    /// The discovery file of the working directory.
    public var discovery: ClusterDiscovery { ClusterDiscovery(directory: workingDirectory) }

    /// The Kafka a command talks to: `--bootstrap`, then `KAFKA_BOOTSTRAP_SERVERS`, then a running dev-cluster.
    func bootstrap(_ arguments: ParsedArguments) -> BootstrapResolution? {
        BootstrapResolution.resolve(arguments, discovery: discovery)
    }

    /// As `bootstrap(_:)`, failing with the message that says how to get a cluster.
    func requireBootstrap(_ arguments: ParsedArguments) throws(CommandFailure) -> BootstrapResolution {
        guard let resolution = bootstrap(arguments) else {
            throw CommandFailure(BootstrapResolution.notFoundMessage)
        }
        return resolution
    }
}
