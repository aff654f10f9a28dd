import FlowGuardSupport
import FoundationEssentials
import Logging

/// The `flowguard` command line: picks the subcommand and runs it.
public enum FlowGuardCLI {
    /// The version `--version` prints and the gateway reports.
    public static let version = FlowGuardVersion.current

    /// Every subcommand, in the order help lists them.
    public static let commands: [any Subcommand.Type] = [
        StartGatewayCommand.self,
        DevClusterCommand.self,
        InitTopicsCommand.self,
        HealthCheckCommand.self,
        TailCommand.self,
        SimulateCommand.self,
        AttributeCommand.self,
        ConsoleCommand.self,
        DumpCommand.self,
    ]

    /// Runs the command line (without the program name) and returns the exit code.
    public static func main(_ arguments: [String], output: CommandOutput = .standard) async -> Int32 {
        guard let first = arguments.first else {
            output.printError(topLevelHelp)
            return ExitCode.usage
        }
        switch first {
        case "--help", "-h":
            output.print(topLevelHelp)
            return ExitCode.success
        case "--version", "-V":
            output.print("flowguard \(version)")
            return ExitCode.success
        case "help":
            guard arguments.count > 1 else {
                output.print(topLevelHelp)
                return ExitCode.success
            }
            guard let command = command(named: arguments[1]) else {
                return usageFailure(UsageError(unknownCommandMessage(arguments[1])), output: output)
            }
            output.print(command.help)
            return ExitCode.success
        default:
            break
        }
        guard let command = command(named: first) else {
            return usageFailure(UsageError(unknownCommandMessage(first)), output: output)
        }
        do {
            var parsed = try ParsedArguments(command: command.name, arguments: Array(arguments.dropFirst()), options: command.options)
            if parsed.has(.help) {
                output.print(command.help)
                return ExitCode.success
            }
            do {
                // Only what the command declared, so that its --help lists every variable it reads.
                parsed.environment = try Environment.current().declaring(command.readVariables)
            } catch {
                throw CommandFailure("cannot read .env: \(error)")
            }
            let logger = try LoggingSetup.bootstrap(arguments: parsed)
            let context = CommandContext(
                environment: parsed.environment,
                logger: logger,
                workingDirectory: FileManager.default.currentDirectoryPath,
                output: output
            )
            return try await command.run(parsed, context: context)
        } catch let error as UsageError {
            return usageFailure(error, output: output)
        } catch let failure as CommandFailure {
            output.printError("flowguard \(command.name): \(failure.message)")
            return failure.exitCode
        } catch {
            output.printError("flowguard \(command.name): \(error)")
            return ExitCode.failure
        }
    }

    static func command(named name: String) -> (any Subcommand.Type)? {
        commands.first { $0.name == name }
    }

    private static func unknownCommandMessage(_ word: String) -> String {
        var message = word.hasPrefix("-") ? "unknown option '\(word)'" : "unknown command '\(word)'"
        if let suggestion = closestMatch(to: word, in: commands.map { $0.name } + ["help"]) {
            message += "; did you mean '\(suggestion)'?"
        }
        return message
    }

    private static func usageFailure(_ error: UsageError, output: CommandOutput) -> Int32 {
        output.printError("flowguard: \(error.message)")
        if let name = error.command, let command = command(named: name) {
            output.printError("Usage: flowguard \(command.name) \(command.usage)")
            output.printError("Run 'flowguard \(command.name) --help' for the options.")
        } else {
            output.printError("Usage: flowguard <command> [options]; run 'flowguard --help' for the commands.")
        }
        return ExitCode.usage
    }

    /// The help that lists every command.
    static var topLevelHelp: String {
        let width = (commands.map { $0.name.count }.max() ?? 0) + 2
        var lines = [
            "flowguard \(version): the event-ingestion gateway for Kafka",
            "",
            "Usage: flowguard <command> [options]",
            "       flowguard help <command> | flowguard <command> --help | flowguard --version",
            "",
            "Commands:",
        ]
        for command in commands {
            lines.append("  " + command.name.padded(to: width) + command.summary)
        }
        lines += [
            "",
            "Kafka: --bootstrap > KAFKA_BOOTSTRAP_SERVERS (environment, then .env) > a running embedded",
            "cluster (.flowguard/cluster.json). Exit codes: 0 success, 1 failure, 64 usage error.",
        ]
        return lines.joined(separator: "\n")
    }
}
