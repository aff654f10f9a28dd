/// Which click partitions hold the clicks of the users of an order partition.
///
/// Both topics are keyed by `user_id` and written with the same partitioner, which maps a key to
/// `hash(key) mod partitions`. With `clicks = k × orders` partitions, `hash mod orders` equals
/// `(hash mod clicks) mod orders`, so a user of order partition p has their clicks in one of
/// p, p + orders, …, p + (k − 1) × orders. The job reads exactly those click partitions with each
/// order partition it is assigned, and never needs to repartition.
package struct PartitionLayout: Sendable, Equatable {
    package let orderPartitions: Int32
    package let clickPartitions: Int32

    /// - Throws: ``AttributionInputError`` when the click partitions are not a multiple of the order partitions.
    package init(orderPartitions: Int32, clickPartitions: Int32) throws(AttributionInputError) {
        guard orderPartitions > 0, clickPartitions > 0, clickPartitions % orderPartitions == 0 else {
            throw AttributionInputError(
                "the clicks topic has \(clickPartitions) partitions and the orders topic \(orderPartitions): the first must be a multiple of the second, so that each user's clicks and orders meet"
            )
        }
        self.orderPartitions = orderPartitions
        self.clickPartitions = clickPartitions
    }

    /// The click partitions that hold the clicks of the users of `orderPartition`.
    package func clickPartitions(of orderPartition: Int32) -> [Int32] {
        Array(stride(from: orderPartition, to: clickPartitions, by: Int(orderPartitions)))
    }

    /// The order partition whose users' clicks `clickPartition` holds.
    package func orderPartition(ofClickPartition clickPartition: Int32) -> Int32 {
        clickPartition % orderPartitions
    }
}
