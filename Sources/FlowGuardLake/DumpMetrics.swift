import CoreMetrics
import FlowGuardSupport
import Synchronization

/// The dumper's metrics (swift-metrics; `dump --metrics-port` serves them in Prometheus's format).
package final class DumpMetrics: Sendable {
    private let factory: any MetricsFactory
    private let counters = MetricCache<CoreMetrics.Counter>()
    private let gauges = MetricCache<CoreMetrics.Gauge>()
    private let uploadTimer: CoreMetrics.Timer

    package init(factory: any MetricsFactory) {
        self.factory = factory
        uploadTimer = CoreMetrics.Timer(label: "flowguard_dump_upload_duration_seconds", dimensions: [], factory: factory)
    }

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> CoreMetrics.Counter {
        counters.metric(label, dimensions) { CoreMetrics.Counter(label: label, dimensions: dimensions, factory: factory) }
    }

    private func gauge(_ label: String, _ dimensions: [(String, String)]) -> CoreMetrics.Gauge {
        gauges.metric(label, dimensions) { CoreMetrics.Gauge(label: label, dimensions: dimensions, factory: factory) }
    }

    /// Creates the counters of these topics at 0, so that they exist from the first scrape: `rate()`
    /// counts the first objects, and dashboards and alerts find the series before any is stored.
    package func prepare(topics: [String]) {
        for topic in topics {
            for reason in SealReason.allCases {
                _ = counter("flowguard_dump_objects_total", [("topic", topic), ("reason", reason.rawValue)])
            }
            _ = counter("flowguard_dump_records_total", [("topic", topic)])
            _ = counter("flowguard_dump_bytes_total", [("topic", topic)])
            _ = counter("flowguard_dump_stored_bytes_total", [("topic", topic)])
        }
    }

    /// One object stored: its records, its bytes before and after gzip, and how long storing it took.
    package func objectStored(topic: String, reason: SealReason, records: Int, bytes: Int, storedBytes: Int, duration: Duration) {
        counter("flowguard_dump_objects_total", [("topic", topic), ("reason", reason.rawValue)]).increment()
        counter("flowguard_dump_records_total", [("topic", topic)]).increment(by: Int64(records))
        counter("flowguard_dump_bytes_total", [("topic", topic)]).increment(by: Int64(bytes))
        counter("flowguard_dump_stored_bytes_total", [("topic", topic)]).increment(by: Int64(storedBytes))
        uploadTimer.recordNanoseconds(duration.nanoseconds)
    }

    /// A failed store attempt that will be retried, by its cause (`503`, `SlowDown`, `no_answer`).
    package func retried(cause: String) {
        counter("flowguard_dump_retries_total", [("cause", cause)]).increment()
    }

    /// A partition committed at `offset` (the next offset to read).
    package func committed(topic: String, partition: Int32, offset: Int64) {
        gauge("flowguard_dump_committed_offset", [("topic", topic), ("partition", String(partition))]).record(offset)
    }

    /// Records of a partition not yet committed to the lake.
    package func lag(topic: String, partition: Int32, records: Int64) {
        gauge("flowguard_dump_lag_records", [("topic", topic), ("partition", String(partition))]).record(records)
    }
}


/// Metrics by label and dimension values, made through the factory once and kept: the dumper records
/// into the same few for every object it stores.
private final class MetricCache<Metric: Sendable>: Sendable {
    private let metrics = Mutex<[String: Metric]>([:])

    func metric(_ label: String, _ dimensions: [(String, String)], make: () -> Metric) -> Metric {
        let key = label + dimensions.map { "|\($0.1)" }.joined()
        return metrics.withLock { cache in
            if let metric = cache[key] { return metric }
            let metric = make()
            cache[key] = metric
            return metric
        }
    }
}
