import FlowGuardKafka
import Prometheus
import Synchronization

/// What the business and the operator see of the job, in its own Prometheus registry: orders by
/// model, revenue credited by `ad_type`, the time from the credited event to the order, probe
/// orders, unreadable records, and the lag of every assigned partition.
package final class AttributionMetrics: Sendable {
    /// Upper bounds of the time-to-convert histogram, in seconds.
    static let convertBuckets: [Double] = [1, 10, 60, 300, 900, 1800, 3600, 4 * 3600, 12 * 3600, 24 * 3600]

    private let registry: PrometheusCollectorRegistry
    private let orders: [Attribution.Model: Counter]
    /// The same counts as `orders`, readable (a Prometheus counter is only written).
    private let orderCounts = Mutex<[Attribution.Model: Int]>([:])
    private let timeToConvert: ValueHistogram
    private let probes: Counter
    private let alreadyCredited: Counter
    private let rebuilds: Counter
    private let heldOrders: Gauge
    private let touches: Gauge
    /// Series whose labels come from the data (an ad type, a topic, a partition), made on first use.
    private let revenue = Mutex<[String: Counter]>([:])
    private let conversions = Mutex<[String: Counter]>([:])
    private let read = Mutex<[String: Counter]>([:])
    private let unreadable = Mutex<[String: Counter]>([:])
    private let lag = Mutex<[TopicPartition: Gauge]>([:])

    package init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        var orders: [Attribution.Model: Counter] = [:]
        for model in Attribution.Model.allCases {
            orders[model] = registry.makeCounter(
                name: "flowguard_attribution_orders_total", labels: [("model", model.rawValue)],
                help: "Orders credited and written, by attribution model."
            )
        }
        self.orders = orders
        timeToConvert = registry.makeValueHistogram(
            name: "flowguard_attribution_time_to_convert_seconds", buckets: Self.convertBuckets,
            help: "Time from the credited click or impression to the order."
        )
        probes = registry.makeCounter(name: "flowguard_attribution_probe_orders_total", help: "Probe orders (health-check --probe) skipped.")
        alreadyCredited = registry.makeCounter(
            name: "flowguard_attribution_already_credited_total", help: "Orders read again whose record the output already held."
        )
        rebuilds = registry.makeCounter(name: "flowguard_attribution_rebuilds_total", help: "Times the state was rebuilt after an assignment.")
        heldOrders = registry.makeGauge(name: "flowguard_attribution_held_orders", help: "Orders waiting for their clicks' watermark.")
        touches = registry.makeGauge(name: "flowguard_attribution_touches", help: "Clicks and impressions held in the state.")
    }

    /// One order credited and written.
    package func recordCredited(_ attributed: AttributedOrder) {
        let model = attributed.attribution.model
        orders[model]?.increment()
        orderCounts.withLock { $0[model, default: 0] += 1 }
        guard let touch = attributed.attribution.touch, let millis = attributed.attribution.timeToConvertMillis(of: attributed.order) else { return }
        series(revenue, touch.adType) {
            registry.makeCounter(name: "flowguard_attribution_revenue_total", labels: [("ad_type", $0)], help: "Order price credited to ads, by ad_type.")
        }.increment(by: attributed.order.price.double)
        series(conversions, touch.adType) {
            registry.makeCounter(name: "flowguard_attribution_conversions_total", labels: [("ad_type", $0)], help: "Orders credited to an ad, by ad_type.")
        }.increment()
        timeToConvert.record(Double(millis) / 1000)
    }

    /// `count` records of `topic` read.
    package func recordRead(topic: String, count: Int) {
        series(read, topic) {
            registry.makeCounter(
                name: "flowguard_attribution_records_read_total", labels: [("topic", $0)],
                help: "Input records read, by topic (read again after a rebuild included)."
            )
        }.increment(by: Int64(count))
    }

    /// A probe order skipped.
    package func recordProbe() { probes.increment() }
    /// An order read again that the job's own output already holds.
    package func recordAlreadyCredited() { alreadyCredited.increment() }
    /// State rebuilt after an assignment.
    package func recordRebuild() { rebuilds.increment() }

    /// A record of `topic` that could not be read.
    package func recordUnreadable(topic: String) {
        series(unreadable, topic) {
            registry.makeCounter(
                name: "flowguard_attribution_unreadable_records_total", labels: [("topic", $0)],
                help: "Input records skipped because they could not be read, by topic."
            )
        }.increment()
    }

    /// The records of each assigned partition not yet read, and what the job holds. A partition no
    /// longer assigned loses its series.
    package func setGauges(lag: [String: [Int32: Int64]], heldOrders: Int, touches: Int) {
        let current = Dictionary(uniqueKeysWithValues: lag.flatMap { topic, partitions in
            partitions.map { (TopicPartition(topic: topic, partition: $0.key), $0.value) }
        })
        self.lag.withLock { gauges in
            for (partition, gauge) in gauges where current[partition] == nil {
                registry.unregisterGauge(gauge)
                gauges[partition] = nil
            }
            for (partition, records) in current {
                let gauge = gauges[partition] ?? registry.makeGauge(
                    name: "flowguard_attribution_lag_records", labels: [("topic", partition.topic), ("partition", String(partition.partition))],
                    help: "Records of an assigned partition not yet read (orders: not yet committed)."
                )
                gauges[partition] = gauge
                gauge.set(records)
            }
        }
        self.heldOrders.set(Int64(heldOrders))
        self.touches.set(Int64(touches))
    }

    /// Orders written so far, by model.
    package func orders(_ model: Attribution.Model) -> Int { orderCounts.withLock { $0[model] ?? 0 } }

    /// The Prometheus text exposition.
    package func exposition() -> String {
        registry.emitToString()
    }

    /// The series of `label` in `cache`, made by `make` the first time.
    private func series(_ cache: borrowing Mutex<[String: Counter]>, _ label: String, make: (String) -> Counter) -> Counter {
        cache.withLock { counters in
            if let counter = counters[label] { return counter }
            let counter = make(label)
            counters[label] = counter
            return counter
        }
    }
}
