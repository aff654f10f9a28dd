import FlowGuardSupport
import Logging
import ServiceLifecycle
import Synchronization

/// An idempotent Kafka producer (`enable.idempotence=true`, `acks=all`) whose `produce` returns
/// only after the broker acknowledged the message.
///
/// Delivery reports are served by one dedicated poll thread, started by `run()` (the producer is a
/// `Service`) or `startPolling()`.
public final class KafkaProducer: Service, Sendable {
    /// The producer properties FlowGuard sets before the user's own.
    ///
    /// `max.in.flight.requests.per.connection=1`: librdkafka 2.0.2's idempotent producer compares a
    /// partition's in-flight *messages* with its limit of 5 *requests*, so a partition that has one
    /// request in flight cannot send another, yet its broker thread polls with a zero timeout until
    /// the answer comes (the linger of the waiting messages has run out). With one request in flight
    /// per connection the next request waits in the output queue instead, and the thread sleeps in
    /// `poll` until the answer, which leaves the cores to the gateway. The price: a broker connection
    /// carries one partition's batch per round trip, so at long round trips each partition waits
    /// its turn (bench/NOTES.md has both sides measured); `KAFKA_PRODUCER__MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION`
    /// sets it.
    public static let defaultProperties: [String: String] = [
        "enable.idempotence": "true",
        "acks": "all",
        "max.in.flight.requests.per.connection": "1",
        "linger.ms": "0.5",
        "message.timeout.ms": "30000",
        "statistics.interval.ms": "2000",
        "queue.buffering.max.messages": "200000",
        "queue.buffering.max.kbytes": "262144",
        "log.connection.close": "false",
        "client.id": "flowguard",
    ]

    let client: RDKafkaClient
    private let pollThread: RDKafkaPollThread
    private let logger: Logger
    /// How long `run()` waits for queued messages to be acknowledged at shutdown.
    public let shutdownFlushTimeout: Duration
    /// The bootstrap servers and properties it was created with, for clients that must reach the
    /// same cluster the same way (the health monitor's).
    public let configuration: KafkaConfiguration
    /// `queue.buffering.max.messages` in force: beyond it librdkafka refuses to queue, and the gateway
    /// answers 503. Exported beside the queue's length so that an alert can compare the two.
    public let queueMessageLimit: Int

    /// Creates a producer; it serves delivery reports once `run()` or `startPolling()` was called.
    /// - Parameters:
    ///   - configuration: bootstrap servers and librdkafka properties (they override the defaults).
    ///   - logger: receives librdkafka's log lines and client errors.
    /// - Throws: `KafkaError` with `.configuration` or `.clientCreation`.
    public init(
        configuration: KafkaConfiguration,
        shutdownFlushTimeout: Duration = .seconds(10),
        logger: Logger
    ) throws(KafkaError) {
        var properties = Self.defaultProperties
        properties.merge(configuration.producerProperties()) { _, user in user }
        let context = RDKafkaClientContext(name: "producer", logger: logger)
        self.client = try RDKafkaClient(kind: .producer, properties: properties, context: context)
        self.pollThread = RDKafkaPollThread(client: client)
        self.logger = logger
        self.shutdownFlushTimeout = shutdownFlushTimeout
        self.configuration = configuration
        self.queueMessageLimit = properties["queue.buffering.max.messages"].flatMap { Int($0) } ?? 100_000
    }

    /// Produces one message and waits for the broker's acknowledgement.
    /// - Parameters:
    ///   - topic: the topic to write to.
    ///   - partition: a fixed partition, or nil to let the partitioner choose by key.
    ///   - key: the message key; messages with the same key go to the same partition.
    ///   - value: the message payload.
    ///   - headers: message headers.
    /// - Returns: the partition and offset the broker stored the message at.
    /// - Throws: `KafkaError`: `.enqueue` when it could not be queued (nothing was sent),
    ///   `.delivery` when the broker did not acknowledge it (see `possiblyPersisted`).
    public func produce(
        topic: String,
        partition: Int32? = nil,
        key: [UInt8]?,
        value: [UInt8],
        headers: [KafkaHeader] = [],
        timestampMillis: Int64? = nil
    ) async throws(KafkaError) -> DeliveryReport {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<DeliveryReport, KafkaError>, Never>) in
            let waiter = RDKafkaDeliveryWaiter(topic: topic, target: .single(continuation))
            if let error = client.produce(
                to: client.topic(topic), partition: partition, key: key, value: value,
                headers: headers, timestampMillis: timestampMillis, waiter: waiter
            ) {
                waiter.complete(.failure(error))
            }
        }
        return try result.get()
    }

    /// Produces one message without waiting: `onDelivery` is called once with its outcome, on the
    /// poll thread (or on the calling thread when it could not be queued). It must return quickly.
    public func produce(_ record: OutgoingRecord, onDelivery: @escaping @Sendable (Result<DeliveryReport, KafkaError>) -> Void) {
        let waiter = RDKafkaDeliveryWaiter(topic: record.topic, target: .callback(onDelivery))
        if let error = client.produce(
            to: client.topic(record.topic), partition: nil, key: record.key, value: record.value,
            headers: record.headers, timestampMillis: nil, waiter: waiter
        ) {
            waiter.complete(.failure(error))
        }
    }

    /// Produces every message of `messages` and waits until the broker acknowledged or refused each
    /// one: the same as a `produce` call per message, with one suspension for the whole batch.
    /// - Returns: one result per message, in order (`.enqueue` errors for messages that could not be
    ///   queued, `.delivery` errors for those the broker did not acknowledge).
    public func produceAll(_ messages: consuming [OutgoingRecord]) async -> [Result<DeliveryReport, KafkaError>] {
        guard !messages.isEmpty else { return [] }
        let batch = RDKafkaBatchDelivery(count: messages.count)
        var topic = client.topic(messages[0].topic)
        // Enqueued before the wait: librdkafka copies each message, so the array is released here.
        for (index, message) in (consume messages).enumerated() {
            if message.topic != topic.name { topic = client.topic(message.topic) }
            let waiter = RDKafkaDeliveryWaiter(topic: message.topic, target: .batch(batch, index: index))
            if let error = client.produce(
                to: topic, partition: nil, key: message.key, value: message.value,
                headers: message.headers, timestampMillis: nil, waiter: waiter
            ) {
                waiter.complete(.failure(error))
            }
        }
        return await batch.results()
    }

    /// Waits until every queued message was delivered, at most `timeout`.
    /// - Returns: the number of messages still undelivered (0 when everything was acknowledged).
    @discardableResult
    public func flush(timeout: Duration) async -> Int {
        await client.flush(timeoutMillis: Int32(clamping: timeout.milliseconds))
    }

    /// Messages waiting to be sent or acknowledged.
    public var queueLength: Int { client.outQueueLength }

    /// The latest statistics librdkafka emitted, if any yet.
    public var statistics: KafkaStatistics? { client.context.statistics.withLock { $0 } }

    /// A fatal error (the idempotent producer cannot continue), if one was raised.
    public var fatalError: KafkaError? { client.fatalError() }

    /// Asks the cluster for metadata through this producer's connections.
    public func metadata(timeout: Duration) async throws(KafkaError) -> ClusterMetadata {
        try await client.metadata(timeoutMillis: Int32(clamping: timeout.milliseconds))
    }

    /// Starts the poll thread that serves delivery reports, if it is not running.
    public func startPolling() {
        pollThread.start()
    }

    /// Stops the poll thread; delivery reports are no longer served.
    public func stopPolling() {
        pollThread.stop()
    }

    /// Serves delivery reports until graceful shutdown, then flushes for at most `shutdownFlushTimeout`.
    public func run() async throws {
        startPolling()
        try? await gracefulShutdown()
        let left = await flush(timeout: shutdownFlushTimeout)
        if left > 0 {
            logger.error(
                "Producer shut down with undelivered messages",
                metadata: [LoggingKeys.kafkaQueueLength: "\(left)"]
            )
        } else {
            logger.info("Producer flushed: every queued message was acknowledged")
        }
        stopPolling()
    }
}
