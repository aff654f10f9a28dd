import FlowGuardSupport

/// Which Kafka a subcommand talks to, and why.
public struct BootstrapResolution: Sendable, Equatable {
    /// Where the bootstrap servers came from, in order of precedence.
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        case flag
        case environment
        case dotEnv
        /// A running embedded cluster, found through its discovery file.
        case discovery(pid: Int32)

        public var description: String {
            switch self {
            case .flag: return "--bootstrap"
            case .environment: return "KAFKA_BOOTSTRAP_SERVERS"
            case .dotEnv: return "KAFKA_BOOTSTRAP_SERVERS in .env"
            case .discovery(let pid): return "embedded cluster of process \(pid)"
            }
        }
    }

    public var bootstrapServers: String
    public var source: Source

    /// Whether it is a running embedded (development) cluster, found through its discovery file.
    public var isEmbeddedCluster: Bool {
        if case .discovery = source { return true }
        return false
    }

    /// Resolves: `--bootstrap` > `KAFKA_BOOTSTRAP_SERVERS` (environment, then `.env`) > a running
    /// embedded cluster's discovery file > nil.
    public static func resolve(_ arguments: ParsedArguments, discovery: ClusterDiscovery) -> BootstrapResolution? {
        let flag = arguments.has(.bootstrap) ? arguments.string(.bootstrap) : nil
        return resolve(flag: flag, environment: arguments.environment, discovery: discovery)
    }

    /// As `resolve(_:discovery:)`, from the flag's value and the environment.
    public static func resolve(flag: String?, environment: Environment, discovery: ClusterDiscovery) -> BootstrapResolution? {
        if let flag, !flag.isEmpty {
            return BootstrapResolution(bootstrapServers: flag, source: .flag)
        }
        if let variable = CommandOption.bootstrap.environment, let (value, source) = environment.lookup(variable) {
            return BootstrapResolution(bootstrapServers: value, source: source == .process ? .environment : .dotEnv)
        }
        if let entry = discovery.read() {
            return BootstrapResolution(bootstrapServers: entry.bootstrapServers, source: .discovery(pid: entry.pid))
        }
        return nil
    }

    /// What to tell a user when no cluster was found.
    public static let notFoundMessage =
        "no Kafka cluster: pass --bootstrap HOST:PORT, set KAFKA_BOOTSTRAP_SERVERS, or start one with `flowguard dev-cluster` (or `make run`)"
}

extension CommandOption {
    /// `--bootstrap`, of every command that talks to Kafka; resolved with a running embedded
    /// cluster as the last resort by `BootstrapResolution`.
    public static let bootstrap = CommandOption(
        "bootstrap", value: "HOST:PORT", environment: "KAFKA_BOOTSTRAP_SERVERS", default: "a running dev-cluster",
        help: "Kafka bootstrap servers"
    )
}
