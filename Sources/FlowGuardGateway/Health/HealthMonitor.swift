import FlowGuardKafka
import FlowGuardSupport
import Logging
import ServiceLifecycle
import Synchronization

/// Refreshes Kafka metadata in the background, so that `/health` and the event routes read a
/// cached answer instead of blocking on Kafka per request.
///
/// It asks through a client of its own, not the producer's: librdkafka sends a metadata request
/// ahead of the produce requests queued on a connection, to the busiest broker, and the producer
/// carries one request at a time per connection (`KafkaProducer.defaultProperties`), so there a
/// refresh would take a slow broker's turns from the events, and `/health` would measure the
/// producer's backlog rather than the cluster.
public final class HealthMonitor: Service, Sendable {
    private let producer: KafkaProducer
    private let admin: KafkaAdmin
    private let requiredTopics: [String]
    private let interval: Duration
    private let logger: Logger
    private let state = Mutex(KafkaHealth.unknown)

    /// - Throws: `KafkaError` when its client cannot be created from the producer's configuration.
    public init(producer: KafkaProducer, requiredTopics: [String], interval: Duration, logger: Logger) throws(KafkaError) {
        self.producer = producer
        self.admin = try KafkaAdmin(configuration: producer.configuration, name: "health", logger: logger)
        self.requiredTopics = requiredTopics
        self.interval = interval
        self.logger = logger
    }

    /// The latest snapshot.
    public var current: KafkaHealth { state.withLock { $0 } }

    /// Asks Kafka once and stores the answer.
    public func refresh() async {
        // /health answers from the snapshot and never waits for this. A first request connects and
        // asks for API versions before the metadata: three round trips, 1.5 s at the fault suite's
        // 500 ms.
        let timeout = Duration.milliseconds(2500)
        if let fatal = producer.fatalError {
            // The idempotent producer cannot continue: no event can be stored until a restart.
            state.withLock { state in
                state.connected = false
                state.lastError = "the Kafka producer hit a fatal error and must be restarted: \(fatal.message)"
            }
            return
        }
        do {
            let metadata = try await admin.metadata(timeout: timeout)
            var topics: [String: Int] = [:]
            var leaderless: [String: Int] = [:]
            for name in requiredTopics {
                guard let topic = metadata.topic(named: name) else { continue }
                topics[name] = topic.partitions.count
                let missing = topic.partitions.filter { $0.leader < 0 }.count
                if missing > 0 { leaderless[name] = missing }
            }
            let snapshot = KafkaHealth(
                connected: true, brokers: metadata.brokers.count, topics: topics,
                leaderlessPartitions: leaderless, lastSuccess: .now, lastError: nil
            )
            let previous = state.withLock { state in
                defer { state = snapshot }
                return state
            }
            if !previous.connected {
                logger.info("Kafka reachable", metadata: ["kafka.brokers": "\(metadata.brokers.count)"])
            }
        } catch {
            let wasConnected = state.withLock { state in
                defer {
                    state.connected = false
                    state.lastError = error.description
                }
                return state.connected
            }
            if wasConnected {
                logger.error("Kafka unreachable", metadata: [LoggingKeys.errorMessage: .string(error.description)])
            }
        }
    }

    /// Refreshes every `interval` until graceful shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.refresh()
                try? await Task.sleep(for: self.interval)
            }
        }
    }
}
