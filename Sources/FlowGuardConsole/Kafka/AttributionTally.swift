import FlowGuardAttribution
import FlowGuardKafka
import FoundationEssentials

/// Adds up the output records the attribution page reads, one at a time: by model, by ad, the
/// unreadable and the repeated ones.
struct AttributionTally {
    private struct Source: Hashable {
        var partition: Int32
        var offset: Int64
    }

    private struct AdKey: Hashable {
        var id: String
        var type: String
    }

    private struct AdSums {
        var conversions = 0
        var viewThrough = 0
        var revenue = Decimal.zero
        var timesToConvert: [Int64] = []
    }

    /// Records older than this are outside the range (a partition's timestamps need not increase).
    let fromMillis: Int64
    private(set) var byModel: [Attribution.Model: AttributionReport.Figures] = [:]
    private(set) var unreadable = 0
    private(set) var duplicates = 0
    /// The oldest timestamp among the records counted.
    private(set) var oldestMillis: Int64?
    private var seen: Set<Source> = []
    private var ads: [AdKey: AdSums] = [:]

    init(fromMillis: Int64) {
        self.fromMillis = fromMillis
    }

    mutating func add(_ record: KafkaRecord) {
        if let timestamp = record.timestampMillis {
            guard timestamp >= fromMillis else { return }
            oldestMillis = min(oldestMillis ?? timestamp, timestamp)
        }
        guard let credit = try? AttributedOrder.credit(of: record), let price = Decimal(string: credit.price.description) else {
            unreadable += 1
            return
        }
        guard seen.insert(Source(partition: credit.sourcePartition, offset: credit.sourceOffset)).inserted else {
            duplicates += 1
            return
        }
        byModel[credit.model, default: .init()].orders += 1
        byModel[credit.model, default: .init()].revenue += price
        guard let ad = credit.ad else { return }
        let key = AdKey(id: ad.id, type: ad.type)
        ads[key, default: AdSums()].conversions += 1
        if credit.model == .viewThrough { ads[key, default: AdSums()].viewThrough += 1 }
        ads[key, default: AdSums()].revenue += price
        ads[key, default: AdSums()].timesToConvert.append(ad.timeToConvertMillis)
    }

    /// The ads by revenue (then conversions, then id), the first `top` one by one and the rest summed.
    func ads(top: Int) -> (ads: [AttributionReport.Ad], others: AttributionReport.OtherAds?, count: Int) {
        let ranked = ads.sorted { a, b in
            if a.value.revenue != b.value.revenue { return a.value.revenue > b.value.revenue }
            if a.value.conversions != b.value.conversions { return a.value.conversions > b.value.conversions }
            return (a.key.id, a.key.type) < (b.key.id, b.key.type)
        }
        let shown = ranked.prefix(top).map { AttributionReport.Ad(id: $0.key.id, type: $0.key.type, conversions: Self.conversions($0.value)) }
        let rest = ranked.dropFirst(top)
        guard !rest.isEmpty else { return (shown, nil, ranked.count) }
        let summed = rest.reduce(into: AdSums()) { sum, ad in
            sum.conversions += ad.value.conversions
            sum.viewThrough += ad.value.viewThrough
            sum.revenue += ad.value.revenue
            sum.timesToConvert += ad.value.timesToConvert
        }
        return (shown, AttributionReport.OtherAds(ads: rest.count, conversions: Self.conversions(summed)), ranked.count)
    }

    private static func conversions(_ sums: AdSums) -> AttributionReport.Conversions {
        AttributionReport.Conversions(
            conversions: sums.conversions, viewThrough: sums.viewThrough, revenue: sums.revenue,
            medianTimeToConvertMillis: median(sums.timesToConvert)
        )
    }

    /// The middle value, or the mean of the two middle ones; nil for none.
    static func median(_ values: [Int64]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? Double(sorted[middle]) : (Double(sorted[middle - 1]) + Double(sorted[middle])) / 2
    }
}
