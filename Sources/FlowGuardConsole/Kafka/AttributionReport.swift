import FlowGuardAttribution
import FoundationEssentials

/// What the attribution page shows (page and `/api/attribution` alike): the orders `flowguard
/// attribute` wrote to its output topic within a time range, by model and by credited ad.
package struct AttributionReport: Sendable {
    /// Orders and the sum of their prices.
    package struct Figures: Sendable, Equatable {
        package var orders = 0
        /// Added as decimals, exactly as the prices were written.
        package var revenue = Decimal.zero
    }

    /// The orders credited to one ad, or to several summed.
    package struct Conversions: Sendable, Equatable {
        package var conversions = 0
        /// Of `conversions`, those credited to an impression (`view_through`).
        package var viewThrough = 0
        package var revenue = Decimal.zero
        /// The median time from the credited event to the order; nil without conversions.
        package var medianTimeToConvertMillis: Double?
    }

    /// One credited ad: `credited_ad_id` and `credited_ad_type` (an id seen with two types is two rows).
    package struct Ad: Sendable, Equatable {
        package var id: String
        package var type: String
        package var conversions: Conversions
    }

    /// The ads past the first `top`, summed in one row.
    package struct OtherAds: Sendable, Equatable {
        package var ads: Int
        package var conversions: Conversions
    }

    /// The output topic read.
    package var topic: String
    /// False when the topic does not exist; then every figure is zero.
    package var topicExists = false
    package var query: AttributionQuery
    /// The time range asked for, in milliseconds since the epoch, by the records' Kafka timestamps.
    package var fromMillis: Int64
    package var toMillis: Int64
    /// Records the topic holds, at any time.
    package var topicRecords: Int64 = 0
    /// Records in the time range (by the offsets of its start and the high watermarks).
    package var rangeRecords: Int64 = 0
    /// Records read.
    package var scanned = 0
    package var scanLimit: Int
    /// The range held more than `scanLimit` records: only the newest of each partition were read.
    package var scanLimitReached = false
    /// With `scanLimitReached`, the oldest timestamp among the records read: what the figures cover.
    package var coveredFromMillis: Int64?
    /// Every partition was read to its end within the time limit.
    package var complete = true
    /// Orders by the model that credited them.
    package var byModel: [Attribution.Model: Figures] = [:]
    /// The ads with the most revenue, most first.
    package var ads: [Ad] = []
    /// Every other credited ad, summed; nil when `ads` holds them all.
    package var otherAds: OtherAds?
    /// Credited ads in all (`ads` and `otherAds`).
    package var adCount = 0
    /// Records that are not an attributed order (not JSON, a field missing or malformed); skipped.
    package var unreadable = 0
    /// Records of an order already counted (the same `source_partition` and `source_offset`); skipped.
    package var duplicates = 0
    package var snapshot: ClusterSnapshot

    /// Every order read, whatever credited it.
    package var all: Figures {
        byModel.values.reduce(into: Figures()) { sum, figures in
            sum.orders += figures.orders
            sum.revenue += figures.revenue
        }
    }

    /// The orders credited to an ad (every model but `none`).
    package var attributed: Figures {
        byModel.filter { $0.key != .none }.values.reduce(into: Figures()) { sum, figures in
            sum.orders += figures.orders
            sum.revenue += figures.revenue
        }
    }
}
