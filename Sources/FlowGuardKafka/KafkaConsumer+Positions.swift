extension KafkaConsumer {
    /// The next offset this consumer hands out for each assigned partition (past records it skipped,
    /// such as transaction markers); a partition read from nothing yet is left out.
    public func positions(_ partitions: [TopicPartition]) throws(KafkaError) -> [TopicPartition: Int64] {
        try client.positions(partitions)
    }
}
