import FlowGuardKafka
import Logging

extension ConsoleModels {
    /// The attribution page's figures: the records of the output topic whose timestamps are within
    /// `query`'s range, found with offsets-for-times and read by seeking.
    /// - Throws: `ConsoleError` 503 when Kafka does not answer (the figures cannot come from a cache).
    package func attribution(_ query: AttributionQuery, logger: Logger) async throws(ConsoleError) -> AttributionReport {
        let snapshot = try await cluster.snapshot()
        if let reason = snapshot.staleReason { throw .unavailable(reason) }
        let name = configuration.attributionTopic
        let toMillis = ConsoleCluster.nowMillis()
        // Kafka reads a negative time as "latest" or "earliest": a range longer than the epoch starts at 0.
        let fromMillis = max(0, toMillis - query.range.milliseconds)
        var report = AttributionReport(
            topic: name, query: query, fromMillis: fromMillis, toMillis: toMillis, scanLimit: configuration.attributionScanLimit, snapshot: snapshot
        )
        guard let topic = snapshot.metadata.topic(named: name), topic.error == nil, !topic.partitions.isEmpty else { return report }
        report.topicExists = true
        let marks = try await cluster.watermarks(of: topic)
        report.topicRecords = marks.values.reduce(0) { $0 + $1.count }
        guard report.topicRecords > 0 else { return report }

        let found = try await cluster.offsets(forTimestamp: fromMillis, topic: name, partitions: marks.keys.sorted())
        var ranges: [Int32: Range<Int64>] = [:]
        for (partition, mark) in marks {
            ranges[partition] = min(max(found[partition] ?? mark.high, mark.low), mark.high)..<mark.high
        }
        report.rangeRecords = ranges.values.reduce(0) { $0 + Int64($1.count) }
        if report.rangeRecords > Int64(report.scanLimit) {
            ranges = Self.newest(report.scanLimit, of: ranges, total: report.rangeRecords)
            report.scanLimitReached = true
        }

        var tally = AttributionTally(fromMillis: fromMillis)
        let outcome = try await PartitionScan.read(topic: name, ranges: ranges, limit: .max, cluster: cluster, logger: logger) { record in
            tally.add(record)
            return true
        }
        report.scanned = outcome.scanned
        report.complete = outcome.complete
        report.byModel = tally.byModel
        report.unreadable = tally.unreadable
        report.duplicates = tally.duplicates
        if report.scanLimitReached { report.coveredFromMillis = tally.oldestMillis }
        (report.ads, report.otherAds, report.adCount) = tally.ads(top: query.top)
        return report
    }

    /// The last `limit` offsets of `ranges` (which hold `total`), shared among the partitions in
    /// proportion to what each range holds: the newest records of each, so that the figures cover
    /// one recent stretch of time rather than each partition's oldest.
    static func newest(_ limit: Int, of ranges: [Int32: Range<Int64>], total: Int64) -> [Int32: Range<Int64>] {
        ranges.mapValues { range in
            let share = Int64((Double(range.count) * Double(limit) / Double(total)).rounded(.down))
            return max(range.lowerBound, range.upperBound - share)..<range.upperBound
        }
    }
}
