import Synchronization

/// What the business and the operator see of the job, as Prometheus text: orders by model, revenue
/// credited by `ad_type`, the time from the credited event to the order, probe orders, unreadable
/// records, and the lag of every assigned partition.
package final class AttributionMetrics: Sendable {
    /// Upper bounds of the time-to-convert histogram, in seconds.
    static let convertBuckets: [Double] = [1, 10, 60, 300, 900, 1800, 3600, 4 * 3600, 12 * 3600, 24 * 3600]

    private struct State: Sendable {
        var orders: [Attribution.Model: Int] = [:]
        var revenue: [String: Double] = [:]
        var conversions: [String: Int] = [:]
        var convertBucketCounts = [Int](repeating: 0, count: AttributionMetrics.convertBuckets.count)
        var convertCount = 0
        var convertSum = 0.0
        var probes = 0
        var read: [String: Int] = [:]
        var unreadable: [String: Int] = [:]
        var alreadyCredited = 0
        var lag: [String: [Int32: Int64]] = [:]
        var heldOrders = 0
        var touches = 0
        var rebuilds = 0
    }

    private let state = Mutex(State())

    package init() {}

    /// One order credited and written.
    package func recordCredited(_ attributed: AttributedOrder) {
        state.withLock { state in
            state.orders[attributed.attribution.model, default: 0] += 1
            guard let touch = attributed.attribution.touch, let millis = attributed.attribution.timeToConvertMillis(of: attributed.order) else { return }
            state.revenue[touch.adType, default: 0] += attributed.order.price.double
            state.conversions[touch.adType, default: 0] += 1
            let seconds = Double(millis) / 1000
            state.convertCount += 1
            state.convertSum += seconds
            for (index, bound) in Self.convertBuckets.enumerated() where seconds <= bound {
                state.convertBucketCounts[index] += 1
            }
        }
    }

    /// `count` records of `topic` read.
    package func recordRead(topic: String, count: Int) { state.withLock { $0.read[topic, default: 0] += count } }
    /// A probe order skipped.
    package func recordProbe() { state.withLock { $0.probes += 1 } }
    /// An order read again that the job's own output already holds.
    package func recordAlreadyCredited() { state.withLock { $0.alreadyCredited += 1 } }
    /// A record of `topic` that could not be read.
    package func recordUnreadable(topic: String) { state.withLock { $0.unreadable[topic, default: 0] += 1 } }
    /// State rebuilt after an assignment.
    package func recordRebuild() { state.withLock { $0.rebuilds += 1 } }

    /// The records of each assigned partition not yet read, and what the job holds.
    package func setGauges(lag: [String: [Int32: Int64]], heldOrders: Int, touches: Int) {
        state.withLock { state in
            state.lag = lag
            state.heldOrders = heldOrders
            state.touches = touches
        }
    }

    /// Orders written so far, by model.
    package func orders(_ model: Attribution.Model) -> Int { state.withLock { $0.orders[model] ?? 0 } }

    /// The Prometheus text exposition.
    package func exposition() -> String {
        let state = state.withLock { $0 }
        var text = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(String, String)]) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for (labels, value) in samples {
                text += "\(name)\(labels) \(value)\n"
            }
        }
        family(
            "flowguard_attribution_orders_total", "counter", "Orders credited and written, by attribution model.",
            Attribution.Model.allCases.map { ("{model=\"\($0.rawValue)\"}", "\(state.orders[$0] ?? 0)") }
        )
        family(
            "flowguard_attribution_revenue_total", "counter", "Order price credited to ads, by ad_type.",
            state.revenue.sorted { $0.key < $1.key }.map { ("{ad_type=\"\(Self.escaped($0.key))\"}", "\($0.value)") }
        )
        family(
            "flowguard_attribution_conversions_total", "counter", "Orders credited to an ad, by ad_type.",
            state.conversions.sorted { $0.key < $1.key }.map { ("{ad_type=\"\(Self.escaped($0.key))\"}", "\($0.value)") }
        )
        var buckets = zip(Self.convertBuckets, state.convertBucketCounts).map { ("_bucket{le=\"\(Int($0.0))\"}", "\($0.1)") }
        buckets.append(("_bucket{le=\"+Inf\"}", "\(state.convertCount)"))
        buckets.append(("_sum", "\(state.convertSum)"))
        buckets.append(("_count", "\(state.convertCount)"))
        text += "# HELP flowguard_attribution_time_to_convert_seconds Time from the credited click or impression to the order.\n"
        text += "# TYPE flowguard_attribution_time_to_convert_seconds histogram\n"
        for (suffix, value) in buckets {
            text += "flowguard_attribution_time_to_convert_seconds\(suffix) \(value)\n"
        }
        family("flowguard_attribution_probe_orders_total", "counter", "Probe orders (health-check --probe) skipped.", [("", "\(state.probes)")])
        family(
            "flowguard_attribution_already_credited_total", "counter", "Orders read again whose record the output already held.",
            [("", "\(state.alreadyCredited)")]
        )
        family(
            "flowguard_attribution_records_read_total", "counter", "Input records read, by topic (read again after a rebuild included).",
            state.read.sorted { $0.key < $1.key }.map { ("{topic=\"\($0.key)\"}", "\($0.value)") }
        )
        family(
            "flowguard_attribution_unreadable_records_total", "counter", "Input records skipped because they could not be read, by topic.",
            state.unreadable.sorted { $0.key < $1.key }.map { ("{topic=\"\($0.key)\"}", "\($0.value)") }
        )
        family("flowguard_attribution_rebuilds_total", "counter", "Times the state was rebuilt after an assignment.", [("", "\(state.rebuilds)")])
        family(
            "flowguard_attribution_lag_records", "gauge", "Records of an assigned partition not yet read (orders: not yet committed).",
            state.lag.sorted { $0.key < $1.key }.flatMap { topic, partitions in
                partitions.sorted { $0.key < $1.key }.map { ("{topic=\"\(topic)\",partition=\"\($0.key)\"}", "\($0.value)") }
            }
        )
        family("flowguard_attribution_held_orders", "gauge", "Orders waiting for their clicks' watermark.", [("", "\(state.heldOrders)")])
        family("flowguard_attribution_touches", "gauge", "Clicks and impressions held in the state.", [("", "\(state.touches)")])
        return text
    }

    private static func escaped(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
