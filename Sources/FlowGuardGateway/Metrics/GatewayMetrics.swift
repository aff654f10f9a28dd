import CoreMetrics
import FlowGuardKafka
import FlowGuardSupport
import Prometheus
import Synchronization

/// The gateway's metrics, in its own Prometheus registry (swift-metrics types over swift-prometheus).
public final class GatewayMetrics: Sendable {
    /// Latency buckets for request and delivery histograms.
    static let durationBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
    ]

    let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    /// Handles already created, by series: creating one builds label strings and registers it, so
    /// each series is created once and looked up by a cheap key afterwards.
    private let counters = Mutex<[SeriesKey: CoreMetrics.Counter]>([:])
    private let timers = Mutex<[SeriesKey: CoreMetrics.Timer]>([:])
    /// Events acknowledged by Kafka since start.
    let produced = Atomic<Int>(0)
    /// Events Kafka did not take since start.
    let failed = Atomic<Int>(0)
    /// Requests answered by the event fast path (`EventFastPath`) since start.
    let fastPathRequests = Atomic<Int>(0)

    /// One series: a metric name and up to three label values (the label names follow from the name).
    private struct SeriesKey: Hashable {
        var name: StaticString
        var first: String
        var second: String = ""
        var status: Int = 0

        static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.name.utf8Start == rhs.name.utf8Start && lhs.status == rhs.status && lhs.first == rhs.first && lhs.second == rhs.second
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(UnsafeRawPointer(name.utf8Start))
            hasher.combine(first)
            hasher.combine(second)
            hasher.combine(status)
        }
    }

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.durationBuckets
        self.factory = factory
    }

    private func counter(_ key: SeriesKey, _ dimensions: @autoclosure () -> [(String, String)]) -> CoreMetrics.Counter {
        counters.withLock { cache in
            if let counter = cache[key] { return counter }
            let counter = CoreMetrics.Counter(label: "\(key.name)", dimensions: dimensions(), factory: factory)
            cache[key] = counter
            return counter
        }
    }

    private func timer(_ key: SeriesKey, _ dimensions: @autoclosure () -> [(String, String)]) -> CoreMetrics.Timer {
        timers.withLock { cache in
            if let timer = cache[key] { return timer }
            let timer = CoreMetrics.Timer(label: "\(key.name)", dimensions: dimensions(), factory: factory)
            cache[key] = timer
            return timer
        }
    }

    /// One HTTP request answered.
    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        counter(
            SeriesKey(name: "flowguard_http_requests_total", first: route, second: method, status: status),
            [("route", route), ("method", method), ("status", String(status))]
        ).increment()
        timer(
            SeriesKey(name: "flowguard_http_request_duration_seconds", first: route, second: method),
            [("route", route), ("method", method)]
        ).recordNanoseconds(duration.nanoseconds)
    }

    /// `count` events acknowledged by Kafka, each after `latency` (one request's, or one batch's).
    func recordProduced(topic: String, latency: Duration, count: Int = 1) {
        produced.add(count, ordering: .relaxed)
        counter(SeriesKey(name: "flowguard_events_produced_total", first: topic), [("topic", topic)]).increment(by: count)
        let timer = timer(SeriesKey(name: "flowguard_delivery_latency_seconds", first: topic), [("topic", topic)])
        for _ in 0..<count { timer.recordNanoseconds(latency.nanoseconds) }
    }

    /// One event Kafka did not take.
    func recordFailed(topic: String, reason: String) {
        failed.add(1, ordering: .relaxed)
        counter(SeriesKey(name: "flowguard_events_failed_total", first: topic, second: reason), [("topic", topic), ("reason", reason)]).increment()
    }

    /// One retry answered from the deduplication window instead of being produced again.
    func recordDuplicate(eventType: String) {
        counter(SeriesKey(name: "flowguard_duplicates_total", first: eventType), [("event_type", eventType)]).increment()
    }

    /// Events rejected before Kafka (4xx).
    func recordRejected(eventType: String, reason: String, count: Int = 1) {
        counter(
            SeriesKey(name: "flowguard_events_rejected_total", first: eventType, second: reason),
            [("event_type", eventType), ("reason", reason)]
        ).increment(by: count)
    }

    /// The limits the gauges of `exposition` are measured against, exported so that alerts compare
    /// a gauge with the limit this process runs with rather than with a copy of its default.
    struct Limits: Sendable {
        /// `--max-in-flight`.
        var inFlight: Int
        /// `queue.buffering.max.messages`.
        var queueMessages: Int
        /// `--dedup-capacity`.
        var deduplicationCapacity: Int
    }

    /// The Prometheus text exposition: the registry plus gauges read now.
    func exposition(
        statistics: KafkaStatistics?, queueLength: Int, health: KafkaHealth, ready: Bool, uptimeSeconds: Double,
        inFlight: Int, deduplicationEntries: Int, deduplicationEvictedBeforeWindow: Int, recentDeliveryLatency: Duration,
        limits: Limits, process: ProcessStatistics? = ProcessStatistics.current()
    ) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        registry.emit(into: &buffer)
        func sample(_ type: String, _ name: String, _ help: String, _ samples: [(labels: String, value: Double)]) {
            var text = "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples {
                text += "\(name)\(sample.labels) \(Self.format(sample.value))\n"
            }
            buffer.append(contentsOf: text.utf8)
        }
        func gauge(_ name: String, _ help: String, _ samples: [(labels: String, value: Double)]) {
            sample("gauge", name, help, samples)
        }
        gauge("flowguard_produce_in_flight", "Events waiting for Kafka's acknowledgement.", [("", Double(inFlight))])
        gauge("flowguard_produce_in_flight_limit", "Events in flight beyond which new events get 503 (--max-in-flight).", [("", Double(limits.inFlight))])
        gauge("flowguard_deduplication_entries", "Event ids remembered for deduplication.", [("", Double(deduplicationEntries))])
        gauge("flowguard_deduplication_capacity", "Event ids the deduplication window can hold (--dedup-capacity).", [("", Double(limits.deduplicationCapacity))])
        sample(
            "counter", "flowguard_deduplication_evicted_before_window_total",
            "Stored event ids forgotten because the window was full, before its time had passed.", [("", Double(deduplicationEvictedBeforeWindow))]
        )
        gauge("flowguard_recent_delivery_latency_seconds", "Moving average of Kafka's acknowledgement latency.", [("", Double(recentDeliveryLatency.nanoseconds) / 1e9)])
        gauge("flowguard_kafka_queue_messages", "Messages in librdkafka's producer queue.", [("", Double(queueLength))])
        gauge("flowguard_kafka_queue_max_messages", "Messages librdkafka's producer queue holds before it refuses more (queue.buffering.max.messages).", [("", Double(limits.queueMessages))])
        gauge("flowguard_ready", "1 when GET /health answers 200: Kafka reachable, both topics present, no fatal producer error.", [("", ready ? 1 : 0)])
        gauge("flowguard_kafka_connected", "1 when the last metadata request succeeded.", [("", health.connected ? 1 : 0)])
        gauge("flowguard_kafka_brokers", "Brokers in the last metadata answer.", [("", Double(health.brokers))])
        gauge("flowguard_uptime_seconds", "Seconds since the gateway started.", [("", uptimeSeconds)])
        if let statistics {
            gauge("flowguard_kafka_queue_bytes", "Bytes in librdkafka's producer queue (from its statistics).", [("", Double(statistics.queuedBytes))])
            gauge(
                "flowguard_kafka_broker_rtt_seconds", "Average request round-trip time per broker (from librdkafka's statistics).",
                statistics.brokers.map { (labels: "{broker=\"\($0.nodeID)\"}", value: $0.averageRTTSeconds) }
            )
            gauge(
                "flowguard_kafka_broker_up", "1 when librdkafka's connection to the broker is up.",
                statistics.brokers.map { (labels: "{broker=\"\($0.nodeID)\"}", value: $0.state == "UP" ? 1 : 0) }
            )
        }
        if let process {
            gauge("process_resident_memory_bytes", "Resident memory size in bytes.", [("", Double(process.residentMemoryBytes))])
            gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", [("", Double(process.virtualMemoryBytes))])
            sample("counter", "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", [("", process.cpuSeconds)])
            if let open = process.openFileDescriptors {
                gauge("process_open_fds", "Number of open file descriptors.", [("", Double(open))])
            }
            if let max = process.maxFileDescriptors {
                gauge("process_max_fds", "Maximum number of open file descriptors.", [("", Double(max))])
            }
        }
        return buffer
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

