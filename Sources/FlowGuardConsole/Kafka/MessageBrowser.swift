import FlowGuardEvents
import FlowGuardKafka
import Logging

/// What the message browser found.
package struct BrowseResult: Sendable {
    /// The records to show, in display order: newest first for `.newest` and `.before`, else oldest first.
    package var records: [KafkaRecord]
    /// Records read and tested against the filters (equal to `records.count` without filters).
    package var scanned: Int
    /// The scan stopped at the scan limit before it reached the end of what it had to read.
    package var scanLimitReached: Bool
    /// Every partition was read to where it had to be within the time limit.
    package var complete: Bool
    /// Each partition read, with its watermarks when the query was answered.
    package var watermarks: [Int32: Watermarks]
    /// Where reading started in each partition.
    package var startOffsets: [Int32: Int64]
    /// The page before this one (older records), or nil at the oldest record held.
    package var older: MessageQuery?
    /// The page after this one (newer records), or nil at the newest record written.
    package var newer: MessageQuery?
}

/// Reads records for the browser by seeking: each partition is assigned at the offset it must start
/// from (never read from the start to find the newest), and read up to its high watermark as it was
/// when the query came.
package enum MessageBrowser {
    /// Answers `query` for `topic`.
    /// - Throws: `ConsoleError`: 404 for an unknown partition, 400 for an offset outside a single
    ///   partition's range, 503 when Kafka did not answer.
    package static func browse(
        _ query: MessageQuery,
        topic: ClusterMetadata.Topic,
        cluster: ConsoleCluster,
        scanLimit: Int,
        logger: Logger
    ) async throws(ConsoleError) -> BrowseResult {
        let ids = topic.partitions.map(\.id).sorted()
        if let partition = query.partition, !ids.contains(partition) {
            throw .notFound("topic '\(topic.name)' has no partition \(partition) (it has \(ids.count): 0…\(ids.count - 1))")
        }
        let partitions = query.partition.map { [$0] } ?? ids
        let allMarks = try await cluster.watermarks(of: topic)
        let marks = allMarks.filter { partitions.contains($0.key) }

        let starts = try await startOffsets(query, topic: topic.name, partitions: partitions, marks: marks, cluster: cluster, scanLimit: scanLimit)
        // Each partition is read from its start to its end (exclusive); the end is the high watermark
        // at query time, or fewer when no filter asks for more than `limit` records.
        var ranges: [Int32: Range<Int64>] = [:]
        for partition in partitions {
            guard let mark = marks[partition], let start = starts[partition] else { continue }
            let end: Int64
            if case .before(let cursor) = query.start {
                end = mark.clamped(cursor[partition] ?? mark.high)
            } else {
                end = query.hasFilters || query.start == .newest ? mark.high : min(mark.high, start + Int64(query.limit))
            }
            ranges[partition] = start..<max(start, end)
        }
        let descending = query.start.isDescending
        var matches: [KafkaRecord] = []
        let outcome = try await PartitionScan.read(topic: topic.name, ranges: ranges, limit: scanLimit, cluster: cluster, logger: logger) { record in
            guard query.matches(record) else { return true }
            matches.append(record)
            // Reading forward, the first `limit` matches are the answer.
            return !(query.hasFilters && !descending && matches.count >= query.limit)
        }
        let (shown, unshown) = select(matches, limit: query.limit, descending: descending)
        let (older, newer) = adjacentPages(query, ranges: ranges, positions: outcome.positions, unshown: unshown, marks: marks)
        return BrowseResult(
            records: shown, scanned: outcome.scanned, scanLimitReached: outcome.limitReached,
            complete: outcome.complete, watermarks: marks, startOffsets: starts, older: older, newer: newer
        )
    }

    /// The first `limit` matches in the page's order, and the rest.
    ///
    /// The order is by time, merged partition by partition: each partition's matches are taken in
    /// offset order from the edge the page reads from (its newest for a newest-first page), the one
    /// whose next record is newest (or oldest) first. With times that grow with offsets, as a broker's
    /// append times do, that is plain time order. With producer times that do not, it still takes
    /// each partition's matches as one run of offsets, so that the next page can resume every
    /// partition at one offset and show each record once.
    static func select(_ matches: [KafkaRecord], limit: Int, descending: Bool) -> (shown: [KafkaRecord], unshown: [KafkaRecord]) {
        var runs = Dictionary(grouping: matches, by: \.partition).mapValues { records in
            records.sorted { descending ? $0.offset > $1.offset : $0.offset < $1.offset }[...]
        }
        func before(_ a: KafkaRecord, _ b: KafkaRecord) -> Bool {
            let (x, y) = ((a.timestampMillis ?? 0, a.partition, a.offset), (b.timestampMillis ?? 0, b.partition, b.offset))
            return descending ? x > y : x < y
        }
        var shown: [KafkaRecord] = []
        while shown.count < limit, let next = runs.values.compactMap(\.first).min(by: before) {
            shown.append(next)
            runs[next.partition]?.removeFirst()
        }
        return (shown, runs.values.flatMap { Array($0) })
    }

    /// The pages before and after one, as positions in each partition read, so that paging through
    /// all partitions at once shows every record once.
    ///
    /// A page shows the first `limit` matches of its ranges in its order (``select(_:limit:descending:)``);
    /// the matches it read and did not show belong to the next page in that order. Going on in the
    /// page's own order, a partition resumes at its first unshown match, else where its reading
    /// began (newest first: every record below the range is older) or stopped (oldest first). Going
    /// the other way, it resumes where its reading began (oldest first) or stopped (newest first: a
    /// page cut short by the time or scan limit leaves the end of a range unread, which is newer).
    private static func adjacentPages(
        _ query: MessageQuery, ranges: [Int32: Range<Int64>], positions: [Int32: Int64], unshown: [KafkaRecord],
        marks: [Int32: Watermarks]
    ) -> (older: MessageQuery?, newer: MessageQuery?) {
        var older: [Int32: Int64] = [:]
        var newer: [Int32: Int64] = [:]
        for (partition, range) in ranges {
            let left = unshown.filter { $0.partition == partition }.map(\.offset)
            let reached = positions[partition] ?? range.upperBound
            if query.start.isDescending {
                older[partition] = left.max().map { $0 + 1 } ?? range.lowerBound
                newer[partition] = reached
            } else {
                older[partition] = range.lowerBound
                newer[partition] = left.min() ?? reached
            }
        }
        func page(_ start: MessageQuery.Start) -> MessageQuery {
            var page = query
            page.start = start
            return page
        }
        let hasOlder = older.contains { partition, offset in offset > (marks[partition]?.low ?? offset) }
        let hasNewer = newer.contains { partition, offset in offset < (marks[partition]?.high ?? offset) }
        return (hasOlder ? page(.before(older)) : nil, hasNewer ? page(.after(newer)) : nil)
    }

    /// Where each partition is read from.
    private static func startOffsets(
        _ query: MessageQuery,
        topic: String,
        partitions: [Int32],
        marks: [Int32: Watermarks],
        cluster: ConsoleCluster,
        scanLimit: Int
    ) async throws(ConsoleError) -> [Int32: Int64] {
        var starts: [Int32: Int64] = [:]
        switch query.start {
        case .newest:
            // Without filters the newest `limit` of each partition hold the newest `limit` overall;
            // with filters each partition's share of the scan limit is read from its end back.
            let back = query.hasFilters ? max(Int64(query.limit), Int64(scanLimit / max(1, partitions.count))) : Int64(query.limit)
            for (partition, mark) in marks { starts[partition] = max(mark.low, mark.high - back) }
        case .oldest:
            for (partition, mark) in marks { starts[partition] = mark.low }
        case .offset(let offset):
            for (partition, mark) in marks {
                if query.partition != nil, offset < mark.low || offset > mark.high {
                    throw .badRequest(
                        "offset \(offset) is out of range: \(topic)[\(partition)] holds offsets \(mark.low)…\(mark.high - 1) (\(mark.high) is the next one written)"
                    )
                }
                starts[partition] = mark.clamped(offset)
            }
        case .timestamp(let millis):
            let found = try await cluster.offsets(forTimestamp: millis, topic: topic, partitions: partitions)
            for (partition, mark) in marks {
                starts[partition] = mark.clamped(found[partition] ?? mark.high)
            }
        case .before(let cursor):
            // As for the newest, each partition's share back from its place in the cursor; records
            // the cursor names that retention has deleted since are simply not there.
            let back = query.hasFilters ? max(Int64(query.limit), Int64(scanLimit / max(1, partitions.count))) : Int64(query.limit)
            for (partition, mark) in marks { starts[partition] = max(mark.low, mark.clamped(cursor[partition] ?? mark.high) - back) }
        case .after(let cursor):
            for (partition, mark) in marks { starts[partition] = mark.clamped(cursor[partition] ?? mark.high) }
        }
        return starts
    }
}

extension MessageQuery {
    /// Whether a record passes every filter.
    package func matches(_ record: KafkaRecord) -> Bool {
        if let key {
            guard let recordKey = record.key, recordKey.elementsEqual(key.utf8) else { return false }
        }
        if let header {
            guard record.headers.contains(where: { $0.key == header.name && ($0.value ?? []).elementsEqual(header.value.utf8) }) else {
                return false
            }
        }
        if let contains {
            guard let value = record.value, Self.bytes(value, contain: Array(contains.utf8)) else { return false }
        }
        if !fields.isEmpty, !record.matches(fields: fields) { return false }
        return true
    }

    /// Substring search over bytes: the value may be binary or not UTF-8.
    static func bytes(_ haystack: [UInt8], contain needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        let first = needle[0]
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                var index = 0
                let last = hay.count - pin.count
                while index <= last {
                    if hay[index] == first {
                        var matched = true
                        var j = 1
                        while j < pin.count {
                            if hay[index + j] != pin[j] { matched = false; break }
                            j += 1
                        }
                        if matched { return true }
                    }
                    index += 1
                }
                return false
            }
        }
    }
}

extension Watermarks {
    /// `offset` moved into the offsets this partition holds or writes next (low to high).
    func clamped(_ offset: Int64) -> Int64 {
        min(max(offset, low), high)
    }
}
