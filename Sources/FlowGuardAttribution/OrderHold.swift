/// The orders read and not yet credited, and how far the clicks of their partitions have been read.
///
/// An order is released when every click partition of its order partition has a watermark (the
/// latest event time read from it, minus the out-of-orderness allowance) past the order's time, so
/// that every click before it has been read. A partition that receives no newer click would hold it
/// for ever, so an order is also released once it has been held for the allowed lateness while every
/// one of its click partitions was read to its end: what a click partition still holds is read
/// first, however slowly, so the credit does not depend on how fast the two topics are read.
package struct OrderHold: Sendable {
    package let layout: PartitionLayout
    package let windows: AttributionWindows
    private struct Held: Sendable {
        var order: AttributableOrder
        var since: ContinuousClock.Instant
    }
    /// Per order partition, the held orders in the order they were read.
    private var held: [Int32: [Held]] = [:]
    /// Per order partition, the offset after the last order read.
    private var nextOffset: [Int32: Int64] = [:]
    /// Per click partition, the latest event time read.
    private var latestClickTime: [Int32: Int64] = [:]
    /// Per click partition, since when it has been read to its end, or nil while it has records to read.
    private var caughtUpSince: [Int32: ContinuousClock.Instant] = [:]

    package init(layout: PartitionLayout, windows: AttributionWindows) {
        self.layout = layout
        self.windows = windows
    }

    /// Orders held now.
    package var count: Int { held.values.reduce(0) { $0 + $1.count } }

    /// Holds an order read at `now`.
    package mutating func hold(_ order: AttributableOrder, now: ContinuousClock.Instant) {
        held[order.partition, default: []].append(Held(order: order, since: now))
        noteRead(partition: order.partition, offset: order.offset)
    }

    /// Records that the order at `offset` of `partition` was read and needs no credit (a probe, an
    /// unreadable record, or an order already credited before a restart).
    package mutating func noteRead(partition: Int32, offset: Int64) {
        nextOffset[partition] = max(nextOffset[partition] ?? 0, offset + 1)
    }

    /// Records a click partition's record time.
    package mutating func noteClick(partition: Int32, timestampMillis: Int64) {
        latestClickTime[partition] = max(latestClickTime[partition] ?? .min, timestampMillis)
    }

    /// Records whether a click partition has been read to its end, as last checked.
    package mutating func noteClickPartition(_ partition: Int32, caughtUp: Bool, now: ContinuousClock.Instant) {
        if !caughtUp {
            caughtUpSince[partition] = nil
        } else if caughtUpSince[partition] == nil {
            caughtUpSince[partition] = now
        }
    }

    /// The order partitions that hold orders: after ``release(now:)``, those waiting for their click
    /// partitions, whose ends are worth checking.
    package var waitingPartitions: [Int32] {
        held.compactMap { partition, orders in orders.isEmpty ? nil : partition }.sorted()
    }

    /// Since when every click partition of an order partition has been read to its end, or nil.
    private func caughtUp(ofOrderPartition partition: Int32) -> ContinuousClock.Instant? {
        var latest: ContinuousClock.Instant? = nil
        for clickPartition in layout.clickPartitions(of: partition) {
            guard let since = caughtUpSince[clickPartition] else { return nil }
            latest = max(latest ?? since, since)
        }
        return latest
    }

    /// The watermark of an order partition: the lowest of its click partitions' watermarks, or nil
    /// while one of them has given no record yet.
    package func watermark(ofOrderPartition partition: Int32) -> Int64? {
        var lowest = Int64.max
        for clickPartition in layout.clickPartitions(of: partition) {
            guard let latest = latestClickTime[clickPartition] else { return nil }
            lowest = min(lowest, latest - windows.outOfOrderness.milliseconds)
        }
        return lowest
    }

    /// Takes the orders that may be credited at `now`.
    package mutating func release(now: ContinuousClock.Instant) -> [AttributableOrder] {
        var released: [AttributableOrder] = []
        for (partition, orders) in held {
            let watermark = watermark(ofOrderPartition: partition)
            let caughtUp = caughtUp(ofOrderPartition: partition)
            var kept: [Held] = []
            for entry in orders {
                if let watermark, watermark > entry.order.timestampMillis {
                    released.append(entry.order)
                } else if let caughtUp, now - max(caughtUp, entry.since) >= windows.allowedLateness {
                    released.append(entry.order)
                } else {
                    kept.append(entry)
                }
            }
            held[partition] = kept
        }
        return released
    }

    /// The offset to commit for an order partition: that of its first order still held, or the one
    /// after the last order read; nil when nothing was read from it.
    package func commitOffset(of partition: Int32) -> Int64? {
        if let first = held[partition]?.first {
            return first.order.offset
        }
        return nextOffset[partition]
    }

    /// The lowest event time of an order held now, or nil when none is held.
    package var earliestHeldTime: Int64? {
        held.values.lazy.flatMap { $0 }.map(\.order.timestampMillis).min()
    }

    /// Forgets the order partitions a rebalance took, with their held orders; their clicks' times too.
    package mutating func drop(orderPartitions: [Int32]) {
        for partition in orderPartitions {
            held[partition] = nil
            nextOffset[partition] = nil
            for clickPartition in layout.clickPartitions(of: partition) {
                latestClickTime[clickPartition] = nil
                caughtUpSince[clickPartition] = nil
            }
        }
    }
}
