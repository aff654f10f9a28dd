import CRdKafka

extension RDKafkaClient {
    /// Assigns partitions with start offsets (no consumer group rebalancing).
    func assign(_ assignments: [KafkaConsumer.Assignment]) throws(KafkaError) {
        let list = rd_kafka_topic_partition_list_new(Int32(assignments.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for assignment in assignments {
            let element = rd_kafka_topic_partition_list_add(list, assignment.topic, assignment.partition)
            element?.pointee.offset = assignment.offset.rdKafkaOffset
        }
        let err = rd_kafka_assign(handle, list)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw .rdKafka(err, code: .consume, context: "assign failed")
        }
    }

    /// Joins the consumer group and subscribes to topics.
    func subscribe(_ topics: [String]) throws(KafkaError) {
        let list = rd_kafka_topic_partition_list_new(Int32(topics.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in topics {
            rd_kafka_topic_partition_list_add(list, topic, RD_KAFKA_PARTITION_UA)
        }
        let err = rd_kafka_subscribe(handle, list)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw .rdKafka(err, code: .consume, context: "subscribe failed")
        }
    }

    /// Polls for one message on the blocking queue; nil when none arrived within the timeout.
    func consumerPoll(timeoutMillis: Int32) async throws(KafkaError) -> KafkaRecord? {
        let result: Result<KafkaRecord?, KafkaError> = await polling(timeoutMillis: timeoutMillis) { [self] in
            let handle = self.handle
            guard let message = rd_kafka_consumer_poll(handle, timeoutMillis) else { return .success(nil) }
            defer { rd_kafka_message_destroy(message) }
            let err = message.pointee.err
            if err == RD_KAFKA_RESP_ERR__PARTITION_EOF { return .success(nil) }
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                var error = KafkaError.rdKafka(err, code: .consume)
                if let text = rd_kafka_message_errstr(message) {
                    error.message = String(cString: text)
                }
                return .failure(error)
            }
            return .success(KafkaRecord(message))
        }
        return try result.get()
    }

    /// The next record or rebalance: rebalances the callback queued come first, in order, then the
    /// record the same poll returned.
    func consumerNextEvent(timeoutMillis: Int32) async throws(KafkaError) -> KafkaConsumer.Event? {
        if let pending = context.takeConsumerEvent() { return pending }
        let record = try await consumerPoll(timeoutMillis: timeoutMillis)
        if let record { context.queueConsumerEvent(.record(record)) }
        return context.takeConsumerEvent()
    }

    /// The next record; rebalances are applied by the callback and not reported.
    func consumerNextRecord(timeoutMillis: Int32) async throws(KafkaError) -> KafkaRecord? {
        while let pending = context.takeConsumerEvent() {
            if case .record(let record) = pending { return record }
        }
        let record = try await consumerPoll(timeoutMillis: timeoutMillis)
        context.discardRebalanceEvents()
        return record
    }

    /// Hands librdkafka a commit of exactly these offsets (each the next offset to read) and returns
    /// without its answer, which ``answer(of:)`` waits for.
    ///
    /// The commit is in the group handler's queue when this returns, ahead of anything the caller
    /// does next with this consumer. So a poll that serves a rebalance afterwards cannot give the
    /// partitions up before the commit is answered: librdkafka unassigns (and rejoins the group) only
    /// once no commit is outstanding.
    func startCommit(_ offsets: [TopicPartition: Int64]) throws(KafkaError) -> RDKafkaCommit {
        guard !offsets.isEmpty else { throw KafkaError(code: .consume, message: "commit failed: no offsets to commit") }
        // Without a queue librdkafka would commit synchronously, on this thread.
        guard let queue = rd_kafka_queue_new(handle) else {
            throw KafkaError(code: .consume, message: "commit failed: librdkafka gave no queue for its answer")
        }
        let commit = RDKafkaCommit(queue: queue, client: self)
        let list = RDKafkaTopicPartitionList(offsets.keys.sorted()) { offsets[$0]! }
        let err = rd_kafka_commit_queue(handle, list.pointer, commit.queue, nil, nil)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw .rdKafka(err, code: .consume, context: "commit failed")
        }
        return commit
    }

    /// Waits for the coordinator's answer to a commit: as long as librdkafka takes, which answers
    /// every commit, with an error when it cannot be sent.
    /// - Throws: `KafkaError` when the commit, or the commit of any one partition, failed.
    func answer(of commit: RDKafkaCommit) async throws(KafkaError) {
        let result: Result<Void, KafkaError> = await blocking {
            guard let event = rd_kafka_queue_poll(commit.queue, -1) else {
                return .failure(KafkaError(code: .consume, message: "commit failed: no answer"))
            }
            defer { rd_kafka_event_destroy(event) }
            let err = rd_kafka_event_error(event)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                return .failure(.rdKafka(err, code: .consume, context: "commit failed"))
            }
            if let list = rd_kafka_event_topic_partition_list(event),
                let failed = RDKafkaTopicPartitionList.elements(of: list).first(where: { $0.error != RD_KAFKA_RESP_ERR_NO_ERROR })
            {
                return .failure(.rdKafka(failed.error, code: .consume, context: "commit of \(failed.partition) failed"))
            }
            return .success(())
        }
        try result.get()
    }

    /// The group's committed offsets of these partitions; a partition with none is left out.
    func committed(_ partitions: [TopicPartition], timeoutMillis: Int32) async throws(KafkaError) -> [TopicPartition: Int64] {
        guard !partitions.isEmpty else { return [:] }
        let result: Result<[TopicPartition: Int64], KafkaError> = await blocking { [self] in
            let list = RDKafkaTopicPartitionList(partitions)
            let err = rd_kafka_committed(self.handle, list.pointer, timeoutMillis)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                return .failure(.rdKafka(err, code: .request, context: "committed offsets"))
            }
            var offsets: [TopicPartition: Int64] = [:]
            for element in list.elements {
                guard element.error == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    return .failure(.rdKafka(element.error, code: .request, context: "committed offset of \(element.partition)"))
                }
                if element.offset >= 0 { offsets[element.partition] = element.offset }
            }
            return .success(offsets)
        }
        return try result.get()
    }

    /// Stops or restarts fetching these partitions without giving them up.
    func setPaused(_ paused: Bool, _ partitions: [TopicPartition]) throws(KafkaError) {
        guard !partitions.isEmpty else { return }
        let list = RDKafkaTopicPartitionList(partitions)
        let err = paused ? rd_kafka_pause_partitions(handle, list.pointer) : rd_kafka_resume_partitions(handle, list.pointer)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw .rdKafka(err, code: .consume, context: paused ? "pause failed" : "resume failed")
        }
        if let failed = list.elements.first(where: { $0.error != RD_KAFKA_RESP_ERR_NO_ERROR }) {
            throw .rdKafka(failed.error, code: .consume, context: "\(paused ? "pausing" : "resuming") \(failed.partition)")
        }
    }

    /// The partitions the consumer reads now.
    func assignment() throws(KafkaError) -> [TopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>? = nil
        let err = rd_kafka_assignment(handle, &list)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let list else {
            throw .rdKafka(err, code: .consume, context: "assignment")
        }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return RDKafkaTopicPartitionList.elements(of: list).map(\.partition).sorted()
    }

    /// Commits the offsets of the messages consumed so far (synchronously, on the blocking queue).
    func commit() async throws(KafkaError) {
        let err: rd_kafka_resp_err_t = await blocking { [self] in
            rd_kafka_commit(self.handle, nil, 0)
        }
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR__NO_OFFSET else {
            throw .rdKafka(err, code: .consume, context: "commit failed")
        }
    }

    /// Leaves the group and stops fetching.
    func closeConsumer() async {
        await blocking { [self] in
            let handle = self.handle
            _ = rd_kafka_consumer_close(handle)
        }
    }
}

extension KafkaConsumer.Offset {
    var rdKafkaOffset: Int64 {
        switch self {
        case .beginning: return Int64(RD_KAFKA_OFFSET_BEGINNING)
        case .end: return Int64(RD_KAFKA_OFFSET_END)
        case .stored: return Int64(RD_KAFKA_OFFSET_STORED)
        case .exactly(let offset): return offset
        case .last(let count): return Int64(RD_KAFKA_OFFSET_TAIL_BASE) - count
        }
    }
}

extension KafkaRecord {
    /// Copies a message out of librdkafka. Takes the pointer, not a copy of the struct: librdkafka
    /// finds the timestamp and headers from the message's address.
    init(_ pointer: UnsafeMutablePointer<rd_kafka_message_t>) {
        let message = pointer.pointee
        topic = String(cString: rd_kafka_topic_name(message.rkt))
        partition = message.partition
        offset = message.offset
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(pointer, &timestampType)
        timestampMillis = timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp
        key = message.key.map { Array(UnsafeRawBufferPointer(start: $0, count: message.key_len)) }
        value = message.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: message.len)) }
        var headerList: OpaquePointer? = nil
        var headers: [KafkaHeader] = []
        if rd_kafka_message_headers(pointer, &headerList) == RD_KAFKA_RESP_ERR_NO_ERROR, let headerList {
            var index = 0
            var name: UnsafePointer<CChar>? = nil
            var value: UnsafeRawPointer? = nil
            var size = 0
            while rd_kafka_header_get_all(headerList, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                headers.append(
                    KafkaHeader(
                        key: name.map { String(cString: $0) } ?? "",
                        value: value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
                    )
                )
                index += 1
            }
        }
        self.headers = headers
    }
}

/// Applies a group rebalance and queues it for ``RDKafkaClient/consumerNextEvent(timeoutMillis:)``.
/// librdkafka calls it inside `rd_kafka_consumer_poll`, on the thread that polls; with a rebalance
/// callback registered the application must (un)assign itself, eagerly or incrementally as the
/// group's protocol says.
let rdKafkaRebalanceCallback: @convention(c) (OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, UnsafeMutableRawPointer?) -> Void = {
    handle, err, partitions, _ in
    guard let handle else { return }
    let context = RDKafkaClientContext.from(handle)
    let changed = partitions.map { RDKafkaTopicPartitionList.elements(of: $0).map(\.partition).sorted() } ?? []
    let cooperative = rd_kafka_rebalance_protocol(handle).map { String(cString: $0) } == "COOPERATIVE"
    if err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS {
        // Partitions come unpaused. librdkafka keeps an application's pause on a partition across a
        // rebalance (Kafka's Java client drops it), and a partition paused after it was given up (by
        // a reader still handling records polled before the revocation) would come back paused,
        // with nobody left who knows to resume it.
        resumeAll(handle, partitions)
        if cooperative {
            if let error = rd_kafka_incremental_assign(handle, partitions) { rd_kafka_error_destroy(error) }
        } else {
            _ = rd_kafka_assign(handle, partitions)
        }
        context?.queueConsumerEvent(.assigned(changed))
    } else {
        // Revocation, or an error librdkafka could not resolve: either way the partitions are given up,
        // and unpaused as they go (see above).
        resumeAll(handle, partitions)
        if cooperative {
            if let error = rd_kafka_incremental_unassign(handle, partitions) { rd_kafka_error_destroy(error) }
        } else {
            _ = rd_kafka_assign(handle, nil)
        }
        context?.queueConsumerEvent(.revoked(changed))
    }
}

/// Resumes these partitions, on a copy of the list: librdkafka notes an error in each element it
/// cannot resume (a partition new to this client, which has no pause), and the list itself goes on
/// to the (un)assignment.
private func resumeAll(_ handle: OpaquePointer, _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?) {
    guard let partitions, let copy = rd_kafka_topic_partition_list_copy(partitions) else { return }
    defer { rd_kafka_topic_partition_list_destroy(copy) }
    _ = rd_kafka_resume_partitions(handle, copy)
}

/// A commit handed to librdkafka: the queue its answer comes to, polled once.
final class RDKafkaCommit: @unchecked Sendable {
    // @unchecked: the queue handle is used by one task at a time (the poll for the answer), and
    // librdkafka's queues are thread-safe.
    let queue: OpaquePointer
    /// Kept so that the client's handle outlives the queue made from it.
    private let client: RDKafkaClient

    init(queue: OpaquePointer, client: RDKafkaClient) {
        self.queue = queue
        self.client = client
    }

    deinit {
        rd_kafka_queue_destroy(queue)
    }
}
