import CRdKafka
import Dispatch
import FlowGuardSupport
import Logging
import Synchronization

/// Owns one `rd_kafka_t` handle and the context its callbacks reach through the opaque pointer.
///
/// `@unchecked Sendable`: librdkafka documents `rd_kafka_t` as thread-safe; the Swift state
/// reachable from here is immutable or guarded by a `Mutex`.
final class RDKafkaClient: @unchecked Sendable {
    enum Kind {
        case producer
        case consumer
    }

    let handle: OpaquePointer
    let context: RDKafkaClientContext
    /// Serial queue for the calls that block (flush, metadata, consumer polls, admin results):
    /// they never run on Swift's cooperative pool.
    private let blockingQueue: DispatchQueue
    /// A handle per topic produced to, kept for the client's life (``topic(_:)``).
    private let topics = Mutex<[String: RDKafkaTopic]>([:])
    /// A consumer's: keeps librdkafka fetching while a backlog is read (``RDKafkaFetchWaker``).
    let fetchWaker: RDKafkaFetchWaker?
    /// A consumer's: its queue, while librdkafka raises `readiness` when the queue stops being empty.
    private let readinessQueue: OpaquePointer?
    /// Kept for as long as librdkafka may call back with it.
    private let readiness: KafkaReadiness?

    /// Creates a client. On success librdkafka owns the configuration object.
    /// - Parameters:
    ///   - wakesFetchers: a consumer's: whether to keep librdkafka fetching while a backlog is read.
    ///   - readiness: a consumer's: raised whenever its queue, empty, receives something.
    init(
        kind: Kind, properties: [String: String], context: RDKafkaClientContext, wakesFetchers: Bool = false, readiness: KafkaReadiness? = nil
    ) throws(KafkaError) {
        let conf = try RDKafkaConfig.make(properties)
        let unmanagedContext = Unmanaged.passRetained(context)
        rd_kafka_conf_set_opaque(conf, unmanagedContext.toOpaque())
        rd_kafka_conf_set_log_cb(conf, rdKafkaLogCallback)
        rd_kafka_conf_set_error_cb(conf, rdKafkaErrorCallback)
        switch kind {
        case .producer:
            rd_kafka_conf_set_dr_msg_cb(conf, rdKafkaDeliveryCallback)
            rd_kafka_conf_set_stats_cb(conf, rdKafkaStatisticsCallback)
        case .consumer:
            rd_kafka_conf_set_rebalance_cb(conf, rdKafkaRebalanceCallback)
        }

        var errorBuffer = [CChar](repeating: 0, count: 512)
        let type = kind == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER
        guard let handle = rd_kafka_new(type, conf, &errorBuffer, errorBuffer.count) else {
            // rd_kafka_new failed: the configuration (and our retain of the context) is still ours.
            rd_kafka_conf_destroy(conf)
            unmanagedContext.release()
            let reason = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw KafkaError(code: .clientCreation, message: "cannot create Kafka client: \(reason)")
        }
        self.handle = handle
        self.context = context
        self.blockingQueue = DispatchQueue(label: "flowguard.rdkafka.\(context.name)")
        self.fetchWaker = kind == .consumer && wakesFetchers ? RDKafkaFetchWaker(name: context.name) : nil
        if kind == .consumer {
            // The main queue (logs, errors, rebalances) goes to the consumer queue, so one poll serves both.
            rd_kafka_poll_set_consumer(handle)
        }
        if kind == .consumer, let readiness {
            // Every consumer has a group id, so its consumer queue exists.
            let queue = rd_kafka_queue_get_consumer(handle)
            if let queue {
                rd_kafka_queue_cb_event_enable(queue, rdKafkaReadinessCallback, Unmanaged.passUnretained(readiness).toOpaque())
            }
            self.readinessQueue = queue
            self.readiness = queue == nil ? nil : readiness
        } else {
            self.readinessQueue = nil
            self.readiness = nil
        }
    }

    deinit {
        if let readinessQueue {
            rd_kafka_queue_cb_event_enable(readinessQueue, nil, nil)
            rd_kafka_queue_destroy(readinessQueue)
        }
        topics.withLock { topics in
            for topic in topics.values { topic.handle.map(rd_kafka_topic_destroy) }
        }
        rd_kafka_destroy(handle)
        // Balances the retain taken in init: librdkafka no longer calls back after destroy.
        Unmanaged.passUnretained(context).release()
    }

    /// Runs a blocking librdkafka call on this client's own queue.
    func blocking<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            blockingQueue.async {
                continuation.resume(returning: body())
            }
        }
    }

    /// As ``blocking(_:)`` for a consumer poll, but on the calling task when the poll cannot wait
    /// (`timeoutMillis` 0): then it only takes what librdkafka holds already, which is cheaper than
    /// the two thread hops. A reader of two consumers polls both without waiting on every turn. (A
    /// rebalance such a poll serves assigns in the callback, which waits briefly for librdkafka's
    /// main thread: once per rebalance, not per record.)
    func polling<T: Sendable>(timeoutMillis: Int32, _ body: @escaping @Sendable () -> T) async -> T {
        timeoutMillis == 0 ? body() : await blocking(body)
    }

    /// The topic to produce to, with librdkafka's handle for it: a message produced by handle skips
    /// librdkafka's lookup by name, which takes the client's write lock (the lock its broker threads
    /// read under) for every message.
    func topic(_ name: String) -> RDKafkaTopic {
        if let known = topics.withLock({ $0[name] }) { return known }
        // No handle for a name librdkafka refuses: producing by name then reports why.
        guard let created = rd_kafka_topic_new(handle, name, nil) else {
            return RDKafkaTopic(name: name, handle: nil)
        }
        // librdkafka gives every caller the same topic object, each call with a reference of its
        // own: the cache keeps one, and a call that lost the race gives its reference back.
        let topic = RDKafkaTopic(name: name, handle: created)
        let (kept, inserted) = topics.withLock { topics in
            if let earlier = topics[name] { return (earlier, false) }
            topics[name] = topic
            return (topic, true)
        }
        if !inserted { rd_kafka_topic_destroy(created) }
        return kept
    }

    /// Serves queued callbacks (delivery reports, statistics, errors) for up to `timeoutMillis`.
    func poll(timeoutMillis: Int32) {
        rd_kafka_poll(handle, timeoutMillis)
    }

    /// The number of messages and requests waiting to be sent or acknowledged.
    var outQueueLength: Int {
        Int(rd_kafka_outq_len(handle))
    }

    /// The client's name as librdkafka reports it (`flowguard#producer-1`).
    var name: String {
        String(cString: rd_kafka_name(handle))
    }

    /// The fatal error the client raised, if any.
    func fatalError() -> KafkaError? {
        var buffer = [CChar](repeating: 0, count: 512)
        let err = rd_kafka_fatal_error(handle, &buffer, buffer.count)
        guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        var error = KafkaError.rdKafka(err, code: .delivery)
        error.message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        error.isFatal = true
        return error
    }
}

/// Raises the ``KafkaReadiness`` a consumer's queue was given: librdkafka calls it from its own
/// threads, with the queue locked, whenever the empty queue receives something.
private let rdKafkaReadinessCallback: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Void = { _, opaque in
    guard let opaque else { return }
    Unmanaged<KafkaReadiness>.fromOpaque(opaque).takeUnretainedValue().raise()
}

/// A topic name and, when librdkafka accepted the name, its handle. The handle belongs to the
/// client that gave it (``RDKafkaClient/topic(_:)``) and is only valid while that client lives.
struct RDKafkaTopic: @unchecked Sendable {
    let name: String
    let handle: OpaquePointer?
}

/// What librdkafka's callbacks reach through the client's opaque pointer.
final class RDKafkaClientContext: Sendable {
    let name: String
    let logger: Logger
    let statistics = Mutex<KafkaStatistics?>(nil)
    /// librdkafka log facilities this client expects and logs at debug only.
    let quietFacilities: Set<String>

    /// A consumer's rebalances and the records polled with them, in the order they happened.
    private let consumerEvents = Mutex(EventQueue())

    /// A first-in first-out queue that takes from the front in constant time: a prefetch queues
    /// hundreds of records, and `Array.removeFirst` would move the rest for each one taken.
    private struct EventQueue {
        var events: [KafkaConsumer.Event] = []
        var head = 0

        mutating func append(_ event: KafkaConsumer.Event) {
            events.append(event)
        }

        mutating func take() -> KafkaConsumer.Event? {
            guard head < events.count else { return nil }
            let event = events[head]
            head += 1
            if head == events.count {
                events.removeAll(keepingCapacity: true)
                head = 0
            }
            return event
        }

        mutating func removeRebalances() {
            events = events[head...].filter { if case .record = $0 { true } else { false } }
            head = 0
        }
    }

    init(name: String, logger: Logger, quietFacilities: Set<String> = []) {
        self.name = name
        self.logger = logger
        self.quietFacilities = quietFacilities
    }

    func queueConsumerEvent(_ event: KafkaConsumer.Event) {
        consumerEvents.withLock { $0.append(event) }
    }

    func takeConsumerEvent() -> KafkaConsumer.Event? {
        consumerEvents.withLock { $0.take() }
    }

    /// Up to `max` queued events, in order.
    func takeConsumerEvents(max: Int) -> [KafkaConsumer.Event] {
        consumerEvents.withLock { queue in
            var events: [KafkaConsumer.Event] = []
            while events.count < max, let event = queue.take() { events.append(event) }
            return events
        }
    }

    /// Up to `max` queued records, dropping the rebalances queued before them (for readers of
    /// records only, whose rebalances the callback has applied already).
    func takeQueuedRecords(max: Int) -> [KafkaRecord] {
        consumerEvents.withLock { queue in
            var records: [KafkaRecord] = []
            while records.count < max, let event = queue.take() {
                if case .record(let record) = event { records.append(record) }
            }
            return records
        }
    }

    /// Drops queued rebalances (for readers of records only); the queued records stay.
    func discardRebalanceEvents() {
        consumerEvents.withLock { $0.removeRebalances() }
    }

    static func from(_ handle: OpaquePointer?) -> RDKafkaClientContext? {
        guard let handle, let opaque = rd_kafka_opaque(handle) else { return nil }
        return Unmanaged<RDKafkaClientContext>.fromOpaque(opaque).takeUnretainedValue()
    }
}

/// librdkafka's log lines go to swift-log, at the matching level (syslog's EMERG, ALERT and CRIT as
/// `.critical`: the mock cluster says why it is about to abort at CRIT).
private let rdKafkaLogCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
    handle, level, facility, buffer in
    guard let context = RDKafkaClientContext.from(handle), let buffer else { return }
    let facility = facility.map { String(cString: $0) } ?? ""
    let swiftLevel: Logger.Level
    switch level {
    case _ where context.quietFacilities.contains(facility): swiftLevel = .debug
    case ...2: swiftLevel = .critical
    case 3: swiftLevel = .error
    case 4: swiftLevel = .warning
    case 5, 6: swiftLevel = .info
    default: swiftLevel = .debug
    }
    context.logger.log(
        level: swiftLevel,
        "\(String(cString: buffer))",
        metadata: [
            LoggingKeys.kafkaFacility: .string(facility),
            LoggingKeys.kafkaClient: .string(context.name),
        ]
    )
}

/// Errors librdkafka reports outside a request (brokers down, authentication, fatal idempotence errors).
private let rdKafkaErrorCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = {
    handle, code, reason, _ in
    guard let context = RDKafkaClientContext.from(handle) else { return }
    var error = KafkaError.rdKafka(rd_kafka_resp_err_t(code), code: .request)
    if let reason { error.message = String(cString: reason) }
    let level: Logger.Level = error.isFatal ? .critical : .warning
    context.logger.log(
        level: level,
        "Kafka client error",
        metadata: [
            LoggingKeys.errorCode: .string(error.rdKafkaName ?? "unknown"),
            LoggingKeys.errorMessage: .string(error.message),
            LoggingKeys.kafkaClient: .string(context.name),
        ]
    )
}

/// Statistics JSON, emitted every `statistics.interval.ms` on the poll thread.
private let rdKafkaStatisticsCallback: @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, Int, UnsafeMutableRawPointer?) -> Int32 = {
    handle, json, length, _ in
    guard let context = RDKafkaClientContext.from(handle), let json else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: json, count: length)
    if let statistics = KafkaStatistics(json: Array(bytes)) {
        context.statistics.withLock { $0 = statistics }
    }
    return 0  // librdkafka frees the JSON buffer
}

/// Resolves the producer's waiter for each acknowledged or failed message.
private let rdKafkaDeliveryCallback: @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = {
    _, message, _ in
    guard let message, let opaque = message.pointee._private else { return }
    // Balances the passRetained in RDKafkaClient.produce: librdkafka reports each message exactly once.
    let waiter = Unmanaged<RDKafkaDeliveryWaiter>.fromOpaque(opaque).takeRetainedValue()
    let err = message.pointee.err
    if err == RD_KAFKA_RESP_ERR_NO_ERROR, message.pointee.offset >= 0 {
        waiter.complete(.success(DeliveryReport(topic: waiter.topic, partition: message.pointee.partition, offset: message.pointee.offset)))
    } else if err == RD_KAFKA_RESP_ERR_NO_ERROR {
        // Acknowledged without an offset: the idempotent producer took a DUPLICATE_SEQUENCE_NUMBER answer
        // to a retry as success. The broker says an earlier attempt was stored, but not where; the fault
        // suite saw the mock cluster answer so for records it never kept. Never claim a position we do
        // not know: report it as possibly stored.
        waiter.complete(
            .failure(
                KafkaError(
                    code: .delivery,
                    message: "delivery to \(waiter.topic) acknowledged without an offset (duplicate of an earlier attempt)",
                    rdKafkaName: "OFFSET_UNKNOWN",
                    possiblyPersisted: true
                )
            )
        )
    } else {
        var error = KafkaError.rdKafka(err, code: .delivery, context: "delivery to \(waiter.topic) failed")
        error.possiblyPersisted = rd_kafka_message_status(message) != RD_KAFKA_MSG_STATUS_NOT_PERSISTED
        waiter.complete(.failure(error))
    }
}
