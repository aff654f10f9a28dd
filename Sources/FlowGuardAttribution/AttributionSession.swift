import FlowGuardKafka
import FlowGuardSupport
import Logging
import ServiceLifecycle

/// One run of the job: its Kafka clients and its state. Only the job's own task touches it.
struct AttributionSession {
    let configuration: AttributionJobConfiguration
    let metrics: AttributionMetrics
    let logger: Logger
    let layout: PartitionLayout
    let admin: KafkaAdmin
    let producer: KafkaProducer
    /// The group member: the order partitions it is given, and their committed offsets.
    let orders: KafkaConsumer
    /// Assigned, never subscribed: the click partitions of the order partitions `orders` holds.
    let clicks: KafkaConsumer
    /// Raised by both consumers: the loop, with nothing to do, waits for whichever has something first.
    let readiness = KafkaReadiness()
    var model: AttributionModel
    var hold: OrderHold
    /// The order partitions the group gave this instance.
    var assigned: Set<Int32> = []
    /// Order partitions assigned whose first order has not arrived yet (``start(_:with:)``).
    var startPending: Set<Int32> = []
    /// Per order partition, the offsets of orders at or after the committed offset that the output already holds.
    var alreadyCredited: [Int32: Set<Int64>] = [:]
    /// Per click partition read, the offset of the next record.
    var clickPositions: [Int32: Int64] = [:]
    /// Per order partition, the offset last committed.
    var committed: [Int32: Int64] = [:]
    var lastEndCheck = ContinuousClock.now
    var lastGauges = ContinuousClock.now
    var lastEviction = ContinuousClock.now
    /// The latest event time read from any click partition.
    var latestClickTime: Int64 = .min

    /// Timeout of one request to Kafka made on the way (metadata, offsets, commits).
    static let requestTimeout: Duration = .seconds(10)
    /// Records taken from each topic per turn of the loop, so that neither starves the other.
    static let ordersPerTurn = 256
    static let clicksPerTurn = 2048

    init(job: AttributionJob) async throws {
        configuration = job.configuration
        metrics = job.metrics
        logger = job.logger
        let kafka = configuration.kafka
        do {
            admin = try KafkaAdmin(configuration: kafka, name: "attribution-admin", logger: logger)
        } catch {
            throw AttributionJobError("cannot create the Kafka admin client", error)
        }
        let metadata: ClusterMetadata
        do {
            metadata = try await admin.metadata(timeout: Self.requestTimeout)
        } catch {
            throw AttributionJobError("cannot read the cluster's metadata from \(kafka.bootstrapServers)", error)
        }
        func partitions(_ topic: String) throws(AttributionJobError) -> Int32 {
            guard let found = metadata.topic(named: topic), !found.partitions.isEmpty else {
                throw AttributionJobError("the topic \(topic) does not exist; create it first (flowguard init-topics)")
            }
            return Int32(found.partitions.count)
        }
        let orderPartitions = try partitions(configuration.ordersTopic)
        let clickPartitions = try partitions(configuration.clicksTopic)
        let outputPartitions = try partitions(configuration.outputTopic)
        do {
            layout = try PartitionLayout(orderPartitions: orderPartitions, clickPartitions: clickPartitions)
        } catch {
            throw AttributionJobError(error.description)
        }
        guard outputPartitions == orderPartitions else {
            throw AttributionJobError(
                "the output topic \(configuration.outputTopic) has \(outputPartitions) partitions and \(configuration.ordersTopic) \(orderPartitions): they must be equal, so that an order partition's output is one partition to read back"
            )
        }
        model = AttributionModel(windows: configuration.windows)
        hold = OrderHold(layout: layout, windows: configuration.windows)
        var producerConfiguration = kafka
        if configuration.transactional {
            // One id per instance: the group's generation, sent with the offsets, fences an instance
            // that lost its partitions (KIP-447), so the id need not follow the partitions.
            producerConfiguration.producer["transactional.id"] = "\(configuration.groupID)-\(UInt64.random(in: 0...UInt64.max))"
            if producerConfiguration.producer["transaction.timeout.ms"] == nil {
                // How long the output stays blocked for read_committed readers (this job's read-back
                // included) after an instance dies inside a transaction.
                producerConfiguration.producer["transaction.timeout.ms"] = "10000"
            }
            if producerConfiguration.producer["message.timeout.ms"] == nil {
                // librdkafka requires a message to time out no later than its transaction.
                producerConfiguration.producer["message.timeout.ms"] = producerConfiguration.producer["transaction.timeout.ms"]
            }
        }
        do {
            producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
            var consumerConfiguration = kafka
            if consumerConfiguration.consumer["fetch.wait.max.ms"] == nil {
                // An order waits for a newer click in each of its click partitions: how long a caught-up
                // fetch waits for new records (librdkafka's default is 500 ms) adds to every order's latency.
                consumerConfiguration.consumer["fetch.wait.max.ms"] = "100"
            }
            orders = try KafkaConsumer(
                configuration: consumerConfiguration, groupID: configuration.groupID, autoCommit: false, readiness: readiness, logger: logger
            )
            clicks = try KafkaConsumer(configuration: consumerConfiguration, readiness: readiness, logger: logger)
            try orders.subscribe(topics: [configuration.ordersTopic])
        } catch {
            throw AttributionJobError("cannot create the job's Kafka clients", error)
        }
        producer.startPolling()
        if configuration.transactional {
            do {
                try await producer.initTransactions(timeout: .seconds(30))
            } catch {
                throw AttributionJobError("cannot initialise transactions (use --transactions off on a cluster without them)", error)
            }
        }
        logger.info(
            "attribution started",
            metadata: [
                LoggingKeys.kafkaBootstrap: "\(kafka.bootstrapServers)", LoggingKeys.attributionGroup: "\(configuration.groupID)",
                LoggingKeys.attributionLayout: "\(orderPartitions) order partitions, \(clickPartitions) click partitions",
                LoggingKeys.attributionTransactions: "\(configuration.transactional)",
            ]
        )
    }

    /// Turns the loop until the task is cancelled or the service group shuts down.
    mutating func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let ordersRead = try await readOrders()
            let clicksRead = try await readClicks()
            let now = ContinuousClock.now
            if now - lastEndCheck >= .milliseconds(200) {
                lastEndCheck = now
                await checkClickEnds(now: now)
            }
            let written: Int
            if configuration.transactional {
                written = try await creditReleasedInTransaction(now: ContinuousClock.now)
            } else {
                written = try await creditReleased(now: ContinuousClock.now)
                await commit()
            }
            if now - lastGauges >= .seconds(2) {
                lastGauges = now
                await updateGauges()
            }
            if now - lastEviction >= .seconds(10) {
                lastEviction = now
                evict()
            }
            if ordersRead == 0 && clicksRead == 0 && written == 0 {
                // Both consumers are read without waiting; waiting on one of them would leave what the
                // other fetches meanwhile unread until the wait ends. The timeout keeps the timed work
                // above (the allowed lateness, the end checks) on time. After a wake, a millisecond
                // lets the turn take what the fetch brought rather than its first record.
                if await readiness.wait(timeout: .milliseconds(20)) {
                    try? await Task.sleep(for: .milliseconds(1))
                }
            }
        }
    }

    /// Closes the consumers: the group member leaves, so the others take its partitions over.
    func close() async {
        await orders.close()
        await clicks.close()
        await producer.flush(timeout: .seconds(5))
    }

    /// Reads group events (records and rebalances) from the orders consumer; returns the records read.
    private mutating func readOrders() async throws -> Int {
        var read = 0
        for _ in 0..<Self.ordersPerTurn {
            let event: KafkaConsumer.Event?
            do {
                event = try await orders.nextEvent(timeout: .zero)
            } catch {
                throw AttributionJobError("reading \(configuration.ordersTopic) failed", error)
            }
            guard let event else { break }
            switch event {
            case .assigned(let partitions):
                assign(partitions.filter { $0.topic == configuration.ordersTopic }.map(\.partition))
            case .revoked(let partitions):
                revoke(partitions.filter { $0.topic == configuration.ordersTopic }.map(\.partition))
            case .record(let record):
                read += 1
                try await takeOrder(record)
            }
        }
        if read > 0 { metrics.recordRead(topic: configuration.ordersTopic, count: read) }
        return read
    }

    private mutating func takeOrder(_ record: KafkaRecord) async throws {
        let partition = record.partition
        guard assigned.contains(partition) else { return }
        if startPending.contains(partition) {
            try await start(partition, with: record)
        }
        if alreadyCredited[partition]?.remove(record.offset) != nil {
            metrics.recordAlreadyCredited()
            hold.noteRead(partition: partition, offset: record.offset)
            return
        }
        let order: AttributableOrder
        do {
            order = try InputDecoding.order(from: record)
        } catch {
            metrics.recordUnreadable(topic: record.topic)
            logger.warning(
                "order record skipped",
                metadata: [LoggingKeys.topic: "\(record.topic)", LoggingKeys.attributionRecord: "\(partition)@\(record.offset)", LoggingKeys.errorMessage: "\(error)"]
            )
            hold.noteRead(partition: partition, offset: record.offset)
            return
        }
        if order.isProbe {
            metrics.recordProbe()
            hold.noteRead(partition: partition, offset: record.offset)
            return
        }
        hold.hold(order, now: ContinuousClock.now)
    }

    /// Reads what the click consumer has ready; returns the records read.
    private mutating func readClicks() async throws -> Int {
        guard !clickPositions.isEmpty else { return 0 }
        let records: [KafkaRecord]
        do {
            records = try await clicks.pollBatch(max: Self.clicksPerTurn, timeout: .zero)
        } catch {
            throw AttributionJobError("reading \(configuration.clicksTopic) failed", error)
        }
        for record in records {
            guard clickPositions[record.partition] != nil else { continue }
            clickPositions[record.partition] = record.offset + 1
            do {
                let touch = try InputDecoding.touch(from: record)
                model.add(touch)
                hold.noteClick(partition: record.partition, timestampMillis: touch.timestampMillis)
                latestClickTime = max(latestClickTime, touch.timestampMillis)
            } catch {
                metrics.recordUnreadable(topic: record.topic)
            }
        }
        if !records.isEmpty { metrics.recordRead(topic: configuration.clicksTopic, count: records.count) }
        return records.count
    }

    /// Credits the orders the hold releases, writes them, and waits for Kafka to acknowledge every one.
    private mutating func creditReleased(now: ContinuousClock.Instant) async throws -> Int {
        let released = hold.release(now: now)
        guard !released.isEmpty else { return 0 }
        let attributed = released.map { AttributedOrder(order: $0, attribution: model.attribute($0)) }
        let results = await producer.produceAll(attributed.map { $0.record(topic: configuration.outputTopic) })
        for result in results {
            if case .failure(let error) = result {
                // Nothing is committed: the orders are read again after the restart, and the records
                // that did reach Kafka are found when the output is read back.
                throw AttributionJobError("writing to \(configuration.outputTopic) failed", error)
            }
        }
        attributed.forEach(metrics.recordCredited)
        return attributed.count
    }

    /// For every assigned order partition whose offset moved, the offset of its first order not yet written.
    private func offsetsToCommit() -> [TopicPartition: Int64] {
        var offsets: [TopicPartition: Int64] = [:]
        for partition in assigned {
            guard let offset = hold.commitOffset(of: partition), committed[partition] != offset else { continue }
            offsets[TopicPartition(topic: configuration.ordersTopic, partition: partition)] = offset
        }
        return offsets
    }

    /// As ``creditReleased(now:)`` then ``commit()``, in one Kafka transaction: the records and the
    /// offsets are committed together, or neither. Any failure aborts and stops the job; after the
    /// restart the orders are read again, and the aborted records are invisible to `read_committed`
    /// readers, the read-back included.
    private mutating func creditReleasedInTransaction(now: ContinuousClock.Instant) async throws -> Int {
        let released = hold.release(now: now)
        let offsets = offsetsToCommit()
        guard !released.isEmpty || !offsets.isEmpty else { return 0 }
        let attributed = released.map { AttributedOrder(order: $0, attribution: model.attribute($0)) }
        do throws(KafkaError) {
            try await producer.beginTransaction()
            let results = await producer.produceAll(attributed.map { $0.record(topic: configuration.outputTopic) })
            for case .failure(let error) in results {
                throw error
            }
            try await producer.sendOffsetsToTransaction(offsets, consumer: orders, timeout: Self.requestTimeout)
            try await producer.commitTransaction(timeout: Self.requestTimeout)
        } catch {
            try? await producer.abortTransaction(timeout: Self.requestTimeout)
            throw AttributionJobError("the transaction of \(attributed.count) records failed and was aborted", error)
        }
        for (partition, offset) in offsets {
            committed[partition.partition] = offset
        }
        attributed.forEach(metrics.recordCredited)
        return attributed.count
    }

    /// Commits, for every assigned order partition, the offset of its first order not yet written.
    private mutating func commit() async {
        let offsets = offsetsToCommit()
        guard !offsets.isEmpty else { return }
        do {
            try await orders.commit(offsets)
        } catch {
            // A commit refused during a rebalance is expected; the next owner of the partition reads
            // from the older offset, and reading the output back skips what was written since.
            logger.warning("commit failed; retried on the next turn", metadata: [LoggingKeys.errorMessage: "\(error)"])
            return
        }
        for (partition, offset) in offsets {
            committed[partition.partition] = offset
        }
    }

    /// Forgets the touches no order still to come is expected to need: older than the click
    /// partitions' latest time, less the allowed lateness, less the window.
    private mutating func evict() {
        guard latestClickTime != .min else { return }
        var from = latestClickTime - configuration.windows.allowedLateness.milliseconds - configuration.rebuildMargin.milliseconds
        if let earliest = hold.earliestHeldTime {
            from = min(from, earliest)
        }
        model.evict(ordersFrom: from)
    }
}
