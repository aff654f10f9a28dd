@testable import FlowGuardCLI
@testable import FlowGuardConfig
@testable import FlowGuardKafka
@testable import FlowGuardSupport
import Foundation
import Testing

@Suite("Command line parsing and errors")
struct CLITests {
    @Test("--help, --version, help COMMAND and COMMAND --help succeed")
    func helpAndVersion() async {
        let help = await runCLI(["--help"])
        #expect(help.code == 0)
        for command in ["start-gateway", "dev-cluster", "init-topics", "health-check", "tail", "simulate", "attribute"] {
            #expect(help.out.contains(command))
        }
        let version = await runCLI(["--version"])
        #expect(version.code == 0)
        #expect(version.out == "flowguard \(FlowGuardCLI.version)\n")
        let helpCommand = await runCLI(["help", "init-topics"])
        #expect(helpCommand.code == 0)
        #expect(helpCommand.out.contains("--dry-run"))
        let commandHelp = await runCLI(["start-gateway", "--help"])
        #expect(commandHelp.code == 0)
        #expect(commandHelp.out.contains("--port PORT"))
    }

    @Test("an unknown command exits 64 with a suggestion")
    func unknownCommand() async {
        let result = await runCLI(["start-gatway"])
        #expect(result.code == 64)
        #expect(result.err.contains("unknown command 'start-gatway'"))
        #expect(result.err.contains("did you mean 'start-gateway'?"))
        #expect(result.err.contains("Usage:"))
        let nothing = await runCLI([])
        #expect(nothing.code == 64)
    }

    @Test("an unknown option exits 64 naming it, with a suggestion")
    func unknownOption() async {
        let result = await runCLI(["init-topics", "--dryrun"])
        #expect(result.code == 64)
        #expect(result.err.contains("unknown option '--dryrun'"))
        #expect(result.err.contains("did you mean '--dry-run'?"))
        #expect(result.err.contains("Usage: flowguard init-topics"))
    }

    @Test("a missing or malformed value exits 64 naming the option")
    func badValues() async {
        let missing = await runCLI(["dev-cluster", "--brokers"])
        #expect(missing.code == 64)
        #expect(missing.err.contains("'--brokers' needs a value"))
        let malformed = await runCLI(["dev-cluster", "--brokers=three"])
        #expect(malformed.code == 64)
        #expect(malformed.err.contains("'--brokers' must be an integer"))
        let duration = await runCLI(["init-topics", "--timeout", "soon"])
        #expect(duration.code == 64)
        #expect(duration.err.contains("'--timeout' must be a positive duration"))
        let flagWithValue = await runCLI(["init-topics", "--dry-run=yes"])
        #expect(flagWithValue.code == 64)
        let stray = await runCLI(["init-topics", "extra"])
        #expect(stray.code == 64)
        #expect(stray.err.contains("unexpected argument 'extra'"))
        let level = await runCLI(["init-topics", "--log-level", "loud"])
        #expect(level.code == 64)
        #expect(level.err.contains("log level must be one of"))
    }

    @Test("--name value and --name=value parse the same")
    func bothOptionForms() throws {
        let options = [CommandOption("port", value: "PORT", help: "")]
        let spaced = try ParsedArguments(command: "x", arguments: ["--port", "8001"], options: options)
        let joined = try ParsedArguments(command: "x", arguments: ["--port=8001"], options: options)
        #expect(try spaced.int(options[0]) == 8001)
        #expect(try joined.int(options[0]) == 8001)
    }

    @Test("durations accept ms, s, m, h, d and plain seconds")
    func durations() {
        #expect(Duration.parse("250ms") == .milliseconds(250))
        #expect(Duration.parse("30s") == .seconds(30))
        #expect(Duration.parse("2m") == .seconds(120))
        #expect(Duration.parse("1h") == .seconds(3600))
        #expect(Duration.parse("7d") == .seconds(7 * 86400))
        #expect(Duration.parse("1.5") == .milliseconds(1500))
        #expect(Duration.parse("soon") == nil)
        #expect(Duration.parse("-1s") == nil)
        #expect(Duration.parse("1e300h") == nil)
        #expect(Duration.parse("1e300") == nil)
    }
}

@Suite("Configuration: environment, .env, bootstrap resolution, discovery file")
struct ConfigurationTests {
    @Test(".env lines: comments, export, quotes; a bad line names file and line")
    func dotEnvParsing() throws {
        let values = try DotEnv.parse(
            """
            # comment
            KAFKA_BOOTSTRAP_SERVERS=broker:9092
            export FLOWGUARD_PORT=8001
            KAFKA_SASL_PASSWORD="p#ss word"
            FLOWGUARD_LOG_LEVEL=debug # trailing comment

            """,
            path: ".env"
        )
        #expect(values == [
            "KAFKA_BOOTSTRAP_SERVERS": "broker:9092", "FLOWGUARD_PORT": "8001",
            "KAFKA_SASL_PASSWORD": "p#ss word", "FLOWGUARD_LOG_LEVEL": "debug",
        ])
        // A file saved with Windows line ends reads the same; a bad line is still named by its number.
        let crlf = try DotEnv.parse("# comment\r\nA=1\r\nexport B=\"two words\"\r\n\r\nC=3 # note\r\n", path: ".env")
        #expect(crlf == ["A": "1", "B": "two words", "C": "3"])
        let crlfError = #expect(throws: DotEnvError.self) { try DotEnv.parse("A=1\r\nnot a line\r\n", path: ".env") }
        #expect(crlfError?.description == ".env:2: expected KEY=VALUE")
        let error = #expect(throws: DotEnvError.self) { try DotEnv.parse("A=1\nnot a line\n", path: ".env") }
        #expect(error?.description == ".env:2: expected KEY=VALUE")
    }

    @Test("bootstrap: flag > environment > .env > discovery file > none")
    func bootstrapPrecedence() throws {
        let directory = try makeWorkingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let discovery = ClusterDiscovery(directory: directory.path)
        let both = Environment(process: ["KAFKA_BOOTSTRAP_SERVERS": "env:9092"], dotEnv: ["KAFKA_BOOTSTRAP_SERVERS": "dotenv:9092"])
        let dotEnvOnly = Environment(process: [:], dotEnv: ["KAFKA_BOOTSTRAP_SERVERS": "dotenv:9092"])
        let empty = Environment(process: [:])

        #expect(BootstrapResolution.resolve(flag: "flag:9092", environment: both, discovery: discovery)
            == BootstrapResolution(bootstrapServers: "flag:9092", source: .flag))
        #expect(BootstrapResolution.resolve(flag: nil, environment: both, discovery: discovery)
            == BootstrapResolution(bootstrapServers: "env:9092", source: .environment))
        #expect(BootstrapResolution.resolve(flag: nil, environment: dotEnvOnly, discovery: discovery)
            == BootstrapResolution(bootstrapServers: "dotenv:9092", source: .dotEnv))
        #expect(BootstrapResolution.resolve(flag: nil, environment: empty, discovery: discovery) == nil)

        try discovery.write(.init(bootstrapServers: "mock:1", pid: getpid(), brokers: 3, startedAt: "now", owner: "test"))
        #expect(BootstrapResolution.resolve(flag: nil, environment: empty, discovery: discovery)
            == BootstrapResolution(bootstrapServers: "mock:1", source: .discovery(pid: getpid())))
        #expect(BootstrapResolution.resolve(flag: nil, environment: dotEnvOnly, discovery: discovery)?.source == .dotEnv)
    }

    @Test("a discovery file whose process is gone is ignored; remove() only removes our own")
    func staleDiscoveryFileIsIgnored() throws {
        let directory = try makeWorkingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let discovery = ClusterDiscovery(directory: directory.path)
        // pid_max on Linux is at most 2^22: this pid cannot exist.
        try discovery.write(.init(bootstrapServers: "gone:1", pid: 4_194_304 + 7, brokers: 3, startedAt: "then", owner: "test"))
        #expect(discovery.read() == nil)
        discovery.remove()
        #expect(FileManager.default.fileExists(atPath: discovery.path))
        try discovery.write(.init(bootstrapServers: "mine:1", pid: getpid(), brokers: 3, startedAt: "now", owner: "test"))
        discovery.remove()
        #expect(!FileManager.default.fileExists(atPath: discovery.path))
    }

    @Test("KAFKA_* variables become librdkafka properties; secrets are redacted")
    func kafkaPropertiesFromEnvironment() {
        let environment = Environment(
            process: [
                "KAFKA_CLIENT_ID": "gw-1", "KAFKA_SASL_PASSWORD": "hunter2", "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
                "KAFKA_PRODUCER__LINGER_MS": "7", "KAFKA_CONSUMER__FETCH_MAX_BYTES": "1024",
            ],
            dotEnv: ["KAFKA_COMMON__SOCKET_KEEPALIVE_ENABLE": "true", "KAFKA_CLIENT_ID": "ignored"]
        )
        let configuration = KafkaConfiguration(bootstrapServers: "b:1", environment: environment)
        #expect(configuration.common["client.id"] == "gw-1")
        #expect(configuration.common["security.protocol"] == "SASL_SSL")
        #expect(configuration.common["socket.keepalive.enable"] == "true")
        #expect(configuration.producer == ["linger.ms": "7"])
        #expect(configuration.consumer == ["fetch.max.bytes": "1024"])
        #expect(KafkaConfiguration.redacted(configuration.producerProperties())["sasl.password"] == "***")
    }
}
