@testable import FlowGuardCLI
@testable import FlowGuardConfig
@testable import FlowGuardGateway
@testable import FlowGuardSupport
import Foundation
import Testing

/// The option tables: what the parser, `--help`, `.env.example` and `docs/configuration.md` follow.
@Suite("option tables")
struct CommandOptionTests {
    /// The repository's root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("--help of every command lists every variable the command declares, its options' and its own")
    func helpListsEveryVariable() async {
        for command in FlowGuardCLI.commands {
            let result = await runCLI([command.name, "--help"])
            #expect(result.code == 0)
            let variables = command.readVariables
            #expect(!variables.isEmpty)
            for variable in variables {
                #expect(result.out.contains(variable.label), "flowguard \(command.name) --help does not list \(variable.label)")
            }
        }
    }

    @Test("the variables a command reads are in its --help: the Kafka settings, NO_COLOR, the logging and the topics file")
    func helpNamesWhatTheCodeReads() async {
        let gateway = await runCLI(["start-gateway", "--help"]).out
        for name in ["FLOWGUARD_PROTECT_METRICS", "FLOWGUARD_API_KEYS", "FLOWGUARD_CORS_ORIGINS", "FLOWGUARD_EVENT_FAST_PATH",
                     "FLOWGUARD_TOPICS_FILE", "KAFKA_BOOTSTRAP_SERVERS", "KAFKA_SASL_PASSWORD", "KAFKA_PRODUCER__<PROPERTY>",
                     "FLOWGUARD_LOG_LEVEL", "FLOWGUARD_LOG_FORMAT"] {
            #expect(gateway.contains(name), "start-gateway --help lacks \(name)")
        }
        #expect(!gateway.contains("Every option can also be set in the environment"))
        let tail = await runCLI(["tail", "--help"]).out
        #expect(tail.contains("NO_COLOR"))
        #expect(tail.contains("KAFKA_CONSUMER__<PROPERTY>"))
        let devCluster = await runCLI(["dev-cluster", "--help"]).out
        #expect(devCluster.contains("FLOWGUARD_TOPICS_FILE"))
        #expect(!devCluster.contains("KAFKA_SASL_PASSWORD"))
    }

    @Test("a command may read only the variables it declares")
    func declaredVariables() {
        let declared = Environment.Declared([EnvironmentVariable("FLOWGUARD_PORT", help: ""), EnvironmentVariable("KAFKA_PRODUCER__", prefix: true, help: "")])
        #expect(declared.allows("FLOWGUARD_PORT"))
        #expect(declared.allows("KAFKA_PRODUCER__LINGER_MS"))
        #expect(!declared.allows("FLOWGUARD_HOST"))
        #expect(!declared.allows("KAFKA_CONSUMER__GROUP_ID"))
        let environment = Environment(process: ["FLOWGUARD_PORT": "1"]).declaring(StartGatewayCommand.readVariables)
        #expect(environment.declared?.allows("KAFKA_SASL_USERNAME") == true)
        #expect(environment.declared?.allows("NO_COLOR") == false)
    }

    @Test("an option takes its variable when the flag is absent; the flag wins; a bad value names its source")
    func variablesUnderFlags() throws {
        let environment = Environment(process: ["FLOWGUARD_PORT": "9001", "FLOWGUARD_MAX_BATCH": "7"], dotEnv: ["FLOWGUARD_HOST": "127.0.0.2"])
            .declaring(StartGatewayCommand.readVariables)
        func configuration(_ arguments: [String], _ environment: Environment) throws -> (ParsedArguments, Result<Void, any Error>) {
            let parsed = try ParsedArguments(command: "start-gateway", arguments: arguments, options: StartGatewayCommand.options, environment: environment)
            return (parsed, Result { _ = try StartGatewayCommand.configuration(parsed) })
        }
        let parsed = try ParsedArguments(command: "start-gateway", arguments: ["--max-batch", "9"], options: StartGatewayCommand.options, environment: environment)
        let fromBoth = try StartGatewayCommand.configuration(parsed)
        #expect(fromBoth.port == 9001)
        #expect(fromBoth.host == "127.0.0.2")
        #expect(fromBoth.maxBatch == 9)
        #expect(fromBoth.deduplicationWindow == GatewayConfiguration().deduplicationWindow)

        let bad = Environment(process: ["FLOWGUARD_PORT": "http"]).declaring(StartGatewayCommand.readVariables)
        let (_, result) = try configuration([], bad)
        #expect(throws: UsageError.self) { try result.get() }
        if case .failure(let error as UsageError) = result {
            #expect(error.message == "FLOWGUARD_PORT must be an integer from 0 to 65535, got 'http'")
        }
        let (_, flagResult) = try configuration(["--port", "70000"], bad)
        if case .failure(let error as UsageError) = flagResult {
            #expect(error.message == "option '--port' must be an integer from 0 to 65535, got '70000'")
        } else {
            Issue.record("--port 70000 was accepted")
        }
        let dotEnv = Environment(process: [:], dotEnv: ["FLOWGUARD_ACCESS_LOG": "maybe"]).declaring(StartGatewayCommand.readVariables)
        let (_, dotEnvResult) = try configuration([], dotEnv)
        if case .failure(let error as UsageError) = dotEnvResult {
            #expect(error.message == "FLOWGUARD_ACCESS_LOG in .env must be on or off, got 'maybe'")
        } else {
            Issue.record("FLOWGUARD_ACCESS_LOG=maybe was accepted")
        }
        let protected = Environment(process: ["FLOWGUARD_PROTECT_METRICS": "on", "FLOWGUARD_API_KEYS": "a,b", "FLOWGUARD_CORS_ORIGINS": "https://a, https://b"])
            .declaring(StartGatewayCommand.readVariables)
        let fromVariables = try StartGatewayCommand.configuration(
            ParsedArguments(command: "start-gateway", arguments: [], options: StartGatewayCommand.options, environment: protected)
        )
        #expect(fromVariables.protectMetrics)
        #expect(fromVariables.apiKeyDigests == ["a", "b"])
        #expect(fromVariables.corsOrigins == ["https://a", "https://b"])
    }

    @Test("the topics file is --topics in every command that reads it; --file still works")
    func topicsFileSpelling() throws {
        for command in [StartGatewayCommand.self, DevClusterCommand.self, InitTopicsCommand.self, HealthCheckCommand.self] as [any Subcommand.Type] {
            #expect(command.options.contains(.topicsFile), "\(command.name)")
            for spelling in ["--topics", "--file"] {
                let parsed = try ParsedArguments(command: command.name, arguments: [spelling, "t.yaml"], options: command.options)
                #expect(parsed.string(.topicsFile) == "t.yaml", "\(command.name) \(spelling)")
            }
        }
        let fromVariable = try ParsedArguments(
            command: "init-topics", arguments: [], options: InitTopicsCommand.options,
            environment: Environment(process: ["FLOWGUARD_TOPICS_FILE": "x.yaml"])
        )
        #expect(fromVariable.string(.topicsFile) == "x.yaml")
    }

    @Test("no two options of a command share a name or a variable")
    func namesAreUnique() {
        for command in FlowGuardCLI.commands {
            let names = command.allOptions.flatMap { [$0.name] + $0.aliases }
            #expect(Set(names).count == names.count, "\(command.name)")
            let variables = command.allOptions.compactMap(\.environment)
            #expect(Set(variables).count == variables.count, "\(command.name)")
        }
    }

    @Test(".env.example shows every variable a command reads, and no other")
    func envExampleIsComplete() throws {
        let text = try String(contentsOf: Self.root.appending(path: ".env.example"), encoding: .utf8)
        var shown = Set<String>()
        for line in text.split(separator: "\n") {
            let assignment = line.hasPrefix("#") ? line.dropFirst() : line[...]
            guard let equals = assignment.firstIndex(of: "="),
                  assignment[..<equals].allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" }), !assignment[..<equals].isEmpty
            else { continue }
            shown.insert(String(assignment[..<equals]))
        }
        let variables = FlowGuardCLI.allEnvironmentVariables
        for variable in variables {
            let present = variable.isPrefix ? shown.contains { $0.hasPrefix(variable.name) } : shown.contains(variable.name)
            #expect(present, ".env.example lacks \(variable.label)")
        }
        for name in shown {
            #expect(variables.contains { $0.isPrefix ? name.hasPrefix($0.name) : $0.name == name }, ".env.example shows \(name), which no command reads")
        }
    }

    @Test("docs/configuration.md is the one the option tables give")
    func configurationReferenceIsCurrent() throws {
        let path = Self.root.appending(path: "docs/configuration.md")
        let expected = FlowGuardCLI.configurationReference
        if ProcessInfo.processInfo.environment["FLOWGUARD_UPDATE_SNAPSHOTS"] == "1" {
            try expected.write(to: path, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: path, encoding: .utf8)
        #expect(committed == expected, "docs/configuration.md is out of date: run FLOWGUARD_UPDATE_SNAPSHOTS=1 swift test --filter configurationReferenceIsCurrent")
    }
}
