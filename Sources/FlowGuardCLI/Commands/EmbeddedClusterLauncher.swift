import FlowGuardConfig
import FlowGuardEvents
import FlowGuardKafka
import FlowGuardSupport
import FoundationEssentials
import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts the embedded cluster for `dev-cluster` and `start-gateway`, announces it loudly, and
/// publishes its address in the discovery file.
struct EmbeddedClusterLauncher {
    let cluster: EmbeddedCluster
    let topics: TopicsFile
    let discovery: ClusterDiscovery

    /// - Throws: `CommandFailure` when topics.yaml is invalid, another embedded cluster already runs
    ///   here, or the cluster cannot start.
    static func start(brokers: Int, topicsPath: String, owner: String, context: CommandContext) throws(CommandFailure) -> EmbeddedClusterLauncher {
        let topics: TopicsFile
        do {
            topics = try TopicsFile.load(path: topicsPath)
        } catch {
            throw CommandFailure(error.description)
        }
        let discovery = context.discovery
        if let running = discovery.read(), running.pid != getpid() {
            throw CommandFailure(
                "an embedded cluster already runs here (process \(running.pid), \(running.bootstrapServers)); stop it first, or point at it with --bootstrap"
            )
        }
        let cluster: EmbeddedCluster
        do {
            cluster = try EmbeddedCluster(brokers: brokers, topics: topics.topics, logger: context.logger)
        } catch {
            throw CommandFailure("cannot start the embedded cluster: \(error)")
        }
        let entry = ClusterDiscovery.Entry(
            bootstrapServers: cluster.bootstrapServers,
            pid: getpid(),
            brokers: brokers,
            startedAt: RFC3339.format(millis: Int64(Date().timeIntervalSince1970 * 1000)),
            owner: owner
        )
        do {
            try discovery.write(entry)
        } catch {
            throw CommandFailure("cannot write the discovery file \(discovery.path): \(FileErrors.reason(error))")
        }
        context.logger.warning(
            "EMBEDDED KAFKA: in-memory \(brokers)-broker cluster for DEVELOPMENT ONLY — every record is lost when this process exits",
            metadata: [
                LoggingKeys.kafkaBootstrap: .string(cluster.bootstrapServers),
                "discovery.file": .string(discovery.path),
            ]
        )
        return EmbeddedClusterLauncher(cluster: cluster, topics: topics, discovery: discovery)
    }

    /// Removes the discovery file (on a clean exit).
    func stop() {
        discovery.remove()
    }
}
