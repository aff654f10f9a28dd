import CRdKafka

extension RDKafkaClient {
    /// Fetches metadata of every topic; runs on the blocking queue with librdkafka's own timeout.
    func metadata(timeoutMillis: Int32) async throws(KafkaError) -> ClusterMetadata {
        let result: Result<ClusterMetadata, KafkaError> = await blocking { [self] in
            let handle = self.handle
            var pointer: UnsafePointer<rd_kafka_metadata>? = nil
            let err = rd_kafka_metadata(handle, 1, nil, &pointer, timeoutMillis)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let pointer else {
                return .failure(.rdKafka(err, code: .request, context: "metadata request failed"))
            }
            defer { rd_kafka_metadata_destroy(pointer) }
            return .success(ClusterMetadata(pointer.pointee))
        }
        return try result.get()
    }

    /// The low and high watermark of one partition, asked from its leader.
    func watermarks(topic: String, partition: Int32, timeoutMillis: Int32) async throws(KafkaError) -> (low: Int64, high: Int64) {
        let result: Result<(low: Int64, high: Int64), KafkaError> = await blocking { [self] in
            let handle = self.handle
            var low: Int64 = 0
            var high: Int64 = 0
            let err = rd_kafka_query_watermark_offsets(handle, topic, partition, &low, &high, timeoutMillis)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                return .failure(.rdKafka(err, code: .request, context: "watermarks of \(topic)[\(partition)]"))
            }
            return .success((low, high))
        }
        return try result.get()
    }

    /// For each partition, the first offset whose timestamp is at or after the given time (ms since
    /// the epoch), as the brokers answer ListOffsets. A partition they answer -1 for (no such record,
    /// or a broker that cannot look up by time) is left out.
    func brokerOffsets(forTimes times: [TopicPartition: Int64], timeoutMillis: Int32) async throws(KafkaError) -> [TopicPartition: Int64] {
        guard !times.isEmpty else { return [:] }
        let result: Result<[TopicPartition: Int64], KafkaError> = await blocking { [self] in
            let list = RDKafkaTopicPartitionList(times.keys.sorted()) { times[$0]! }
            let err = rd_kafka_offsets_for_times(self.handle, list.pointer, timeoutMillis)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                return .failure(.rdKafka(err, code: .request, context: "offsets for times"))
            }
            var offsets: [TopicPartition: Int64] = [:]
            for element in list.elements {
                guard element.error == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    return .failure(.rdKafka(element.error, code: .request, context: "offset for time of \(element.partition)"))
                }
                if element.offset >= 0 { offsets[element.partition] = element.offset }
            }
            return .success(offsets)
        }
        return try result.get()
    }
}

extension ClusterMetadata {
    init(_ metadata: rd_kafka_metadata) {
        brokers = (0..<Int(metadata.broker_cnt)).map { index in
            let broker = metadata.brokers[index]
            return Broker(id: broker.id, host: String(cString: broker.host), port: Int(broker.port))
        }
        topics = (0..<Int(metadata.topic_cnt)).map { index in
            let topic = metadata.topics[index]
            let partitions = (0..<Int(topic.partition_cnt)).map { partitionIndex in
                let partition = topic.partitions[partitionIndex]
                return Partition(
                    id: partition.id,
                    leader: partition.leader,
                    replicas: (0..<Int(partition.replica_cnt)).map { partition.replicas[$0] },
                    inSyncReplicas: (0..<Int(partition.isr_cnt)).map { partition.isrs[$0] },
                    error: partition.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : String(cString: rd_kafka_err2name(partition.err))
                )
            }.sorted { $0.id < $1.id }
            return Topic(
                name: String(cString: topic.topic),
                partitions: partitions,
                error: topic.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : String(cString: rd_kafka_err2name(topic.err))
            )
        }.sorted { $0.name < $1.name }
        originatingBrokerID = metadata.orig_broker_id
    }
}
