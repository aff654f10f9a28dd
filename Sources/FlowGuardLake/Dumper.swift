import FlowGuardKafka
import FlowGuardSupport
import Logging
import Synchronization

/// Moves the records of a consumer group's partitions into the lake, exactly once (docs/dump.md).
///
/// One loop owns the consumer and every partition's state: it reads records and rebalances, appends each
/// record to its partition's open segment, seals segments, and commits. Storing runs beside it, one task
/// per partition and one segment at a time, in offset order; a partition's next segment is stored only
/// after the one before it is committed, and its offset is committed only after all its objects are stored.
package final class Dumper: Sendable {
    let consumer: KafkaConsumer
    /// Raised by the consumer when records or a rebalance arrive, and by an upload when it ends: the
    /// loop waits on it when it has nothing to read, so a finished upload is committed, and the
    /// partition's next segment started, at once rather than after the wait.
    let readiness: KafkaReadiness
    let store: any LakeStore
    let configuration: DumpConfiguration
    let metrics: DumpMetrics
    let logger: Logger
    private let gate: UploadGate
    /// Events taken from the consumer at a time; uploads are settled and idle segments sealed between batches.
    static let batchSize = 1000
    private let stopRequested = Atomic<Bool>(false)
    /// Finished uploads, handed from the upload tasks to the loop.
    private let finished = Mutex<[Finished]>([])
    /// How the commit under way ended (nil inside: it succeeded), handed from its task to the loop.
    private let commitOutcome = Mutex<KafkaError??>(nil)
    /// Committed offsets, for the lag reporter.
    let committedOffsets = Mutex<[TopicPartition: Int64]>([:])

    struct Finished: Sendable {
        var partition: TopicPartition
        var epoch: Int
        var failure: LakeError?
    }

    /// - Parameter readiness: the `KafkaReadiness` the consumer was created with.
    package init(
        consumer: KafkaConsumer, readiness: KafkaReadiness, store: any LakeStore, configuration: DumpConfiguration, metrics: DumpMetrics,
        logger: Logger
    ) {
        self.consumer = consumer
        self.readiness = readiness
        self.store = store
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.gate = UploadGate(limit: configuration.maxConcurrentUploads)
    }

    /// Asks `run()` to stop: it abandons open segments, gives uploads under way `shutdownGrace` to be
    /// stored and committed, and returns.
    package func stop() {
        stopRequested.store(true, ordering: .relaxed)
        readiness.raise()
    }

    /// One partition as the loop sees it.
    final class PartitionState {
        var writer: PartitionWriter
        /// Sealed segments in offset order; the first is being stored, or stored and waiting for its commit.
        var waiting: [SealedSegment] = []
        var upload: Task<Void, Never>?
        var stored = false
        var paused = false
        let epoch: Int

        init(writer: PartitionWriter, epoch: Int) {
            self.writer = writer
            self.epoch = epoch
        }
    }

    /// Runs until `stop()`.
    /// - Throws: `LakeError` when the store refuses for good (no such bucket, access denied).
    package func run() async throws(LakeError) {
        var partitions: [TopicPartition: PartitionState] = [:]
        var committing = Committing()
        var epoch = 0
        var lastKafkaWarning = ContinuousClock.now
        var failure: LakeError?
        defer {
            for state in partitions.values { state.upload?.cancel() }
        }
        while !stopRequested.load(ordering: .relaxed) {
            let now = ContinuousClock.now
            if let error = settle(&partitions, &committing) {
                failure = error
                break
            }
            for (partition, state) in partitions {
                if let segment = state.writer.sealIfOld(now: now) {
                    enqueue(segment, partition, state)
                }
            }
            var events: [KafkaConsumer.Event] = []
            do {
                events = try await consumer.nextEvents(max: Self.batchSize, timeout: .zero)
            } catch {
                if ContinuousClock.now - lastKafkaWarning > .seconds(10) {
                    logger.warning("waiting for Kafka: \(error.message)")
                    lastKafkaWarning = .now
                }
            }
            if events.isEmpty {
                _ = await readiness.wait(timeout: configuration.pollTimeout)
                continue
            }
            let received = ContinuousClock.now
            for event in events where failure == nil {
                switch event {
                case .record(let record):
                    let partition = TopicPartition(topic: record.topic, partition: record.partition)
                    guard let state = partitions[partition] else { continue }
                    do {
                        for segment in try state.writer.add(LakeLine(record), offset: record.offset, now: received) {
                            enqueue(segment, partition, state)
                        }
                    } catch {
                        failure = error
                    }
                case .assigned(let assigned):
                    epoch += 1
                    for partition in assigned where partitions[partition] == nil {
                        partitions[partition] = PartitionState(
                            writer: PartitionWriter(
                                topic: partition.topic, partition: partition.partition, policy: configuration.policy,
                                spoolDirectory: configuration.spoolDirectory
                            ),
                            epoch: epoch
                        )
                    }
                    logger.info("assigned \(assigned.count) partition(s): \(assigned.map(\.description).joined(separator: ", "))")
                case .revoked(let revoked):
                    // The partitions are another dumper's now: nothing more of theirs is stored or committed
                    // here. Whatever was not committed is read again by the new owner, which writes the same
                    // objects (docs/dump.md).
                    for partition in revoked {
                        partitions[partition]?.upload?.cancel()
                        partitions[partition] = nil
                    }
                    committedOffsets.withLock { offsets in revoked.forEach { offsets[$0] = nil } }
                    logger.info("revoked \(revoked.count) partition(s)")
                }
            }
            if failure != nil { break }
        }
        if let failure { throw failure }
        await shutDown(&partitions, &committing)
    }

    /// Hands a sealed segment to its partition's queue; pauses the partition when too many wait.
    private func enqueue(_ segment: SealedSegment, _ partition: TopicPartition, _ state: PartitionState) {
        logger.debug("sealed \(partition)@\(segment.startOffset)..<\(segment.nextOffset) (\(segment.reason.rawValue))", metadata: [
            LoggingKeys.lakeSegment: "\(segment.startOffset)", "lake.records": "\(segment.records)",
        ])
        state.waiting.append(segment)
        startUpload(partition, state)
        if state.waiting.count > configuration.maxWaitingSegments && !state.paused {
            do {
                try consumer.pause([partition])
                state.paused = true
                logger.warning("paused \(partition): \(state.waiting.count) segments wait for the store")
            } catch {
                logger.warning("cannot pause \(partition): \(error.message)")
            }
        }
    }

    private func startUpload(_ partition: TopicPartition, _ state: PartitionState) {
        guard state.upload == nil, !state.stored, let segment = state.waiting.first else { return }
        let uploader = SegmentUploader(store: store, spoolDirectory: configuration.spoolDirectory, gzipLevel: configuration.gzipLevel, metrics: metrics, gate: gate, logger: logger)
        let epoch = state.epoch
        state.upload = Task {
            var failure: LakeError?
            do throws(LakeError) {
                try await uploader.upload(segment)
            } catch {
                failure = error
            }
            self.finished.withLock { $0.append(Finished(partition: partition, epoch: epoch, failure: failure)) }
            self.readiness.raise()
        }
    }

    /// Commits the segments whose objects are all stored, and starts the next uploads.
    ///
    /// One commit is under way at a time, holding every partition stored when it started, and the
    /// loop goes on reading and sealing while the coordinator answers. A partition's next segment
    /// waits for its commit (rule 2 of docs/dump.md); a partition stored meanwhile waits for the
    /// next commit, which starts once this one is answered.
    /// - Returns: the error of an upload that failed for good.
    private func settle(_ partitions: inout [TopicPartition: PartitionState], _ committing: inout Committing) -> LakeError? {
        let done = finished.withLock { list in
            defer { list.removeAll() }
            return list
        }
        for item in done {
            guard let state = partitions[item.partition], state.epoch == item.epoch else { continue }
            state.upload = nil
            if let failure = item.failure {
                if Task.isCancelled || stopRequested.load(ordering: .relaxed) { continue }
                return failure
            }
            state.stored = true
        }
        if let offsets = committing.offsets {
            guard let outcome = commitOutcome.withLock({ $0.take() }) else { return nil }
            committing.offsets = nil
            if let error = outcome {
                // Nothing counts as committed: the same offsets are committed again after a pause.
                committing.failed(error, partitions: offsets.count, logger: logger)
            } else {
                committing.succeeded()
                applyCommit(offsets, &partitions)
            }
        }
        guard ContinuousClock.now >= committing.notBefore else { return nil }
        let stored = partitions.filter { $0.value.stored && !$0.value.waiting.isEmpty }
        guard !stored.isEmpty else { return nil }
        let offsets: [TopicPartition: Int64]
        do {
            // Never for a partition given up: the consumer drops a revoked partition from its
            // assignment before the loop hears of it, and this loop is the only one that commits.
            let assigned = Set(try consumer.assignment())
            offsets = stored.filter { assigned.contains($0.key) }.mapValues { $0.waiting[0].nextOffset }
        } catch {
            logger.warning("cannot read the assignment to commit: \(error.message)")
            return nil
        }
        guard !offsets.isEmpty else { return nil }
        let pending: KafkaConsumer.PendingCommit
        do {
            // Sent before the loop polls again, so a rebalance that poll serves waits for its answer.
            pending = try consumer.startCommit(offsets)
        } catch {
            committing.failed(error, partitions: offsets.count, logger: logger)
            return nil
        }
        committing.offsets = offsets
        Task { [self] in
            var failure: KafkaError?
            do throws(KafkaError) {
                try await pending.answer()
            } catch {
                failure = error
            }
            commitOutcome.withLock { $0 = .some(failure) }
            readiness.raise()
        }
        return nil
    }

    /// The loop's commit: the one under way, and the pause after a failed one.
    struct Committing {
        /// The offsets of the commit under way, whose answer comes through `commitOutcome`.
        var offsets: [TopicPartition: Int64]?
        /// No commit starts before this: failures (a coordinator away, a fenced member) are retried
        /// after 100 ms, doubling up to 5 s, rather than once per round trip.
        var notBefore = ContinuousClock.now
        var backoff = Duration.zero
        var lastWarning: ContinuousClock.Instant?

        mutating func failed(_ error: KafkaError, partitions: Int, logger: Logger) {
            backoff = backoff == .zero ? .milliseconds(100) : min(backoff * 2, .seconds(5))
            notBefore = .now + backoff
            if lastWarning.map({ ContinuousClock.now - $0 > .seconds(10) }) ?? true {
                logger.warning("cannot commit \(partitions) partition(s) yet, retrying: \(error.message)")
                lastWarning = .now
            }
        }

        mutating func succeeded() {
            backoff = .zero
            lastWarning = nil
        }
    }

    /// The commit of these offsets succeeded: each partition's first waiting segment is done with.
    private func applyCommit(_ offsets: [TopicPartition: Int64], _ partitions: inout [TopicPartition: PartitionState]) {
        for (partition, offset) in offsets.sorted(by: { $0.key < $1.key }) {
            // A partition revoked since (and maybe assigned again, starting over from the group's
            // offset) has other state now: the commit was of a stored segment, so it is still true.
            guard let state = partitions[partition], state.stored, state.waiting.first?.nextOffset == offset else { continue }
            let segment = state.waiting.removeFirst()
            metrics.committed(topic: partition.topic, partition: partition.partition, offset: offset)
            committedOffsets.withLock { $0[partition] = offset }
            logger.info("committed \(partition) at \(offset)", metadata: [
                LoggingKeys.offset: "\(offset)", "lake.records": "\(segment.records)", "lake.objects": "\(segment.objects.count)",
            ])
            state.stored = false
            startUpload(partition, state)
            if state.paused && state.waiting.count <= configuration.maxWaitingSegments {
                do {
                    try consumer.resume([partition])
                    state.paused = false
                } catch {
                    logger.warning("cannot resume \(partition): \(error.message)")
                }
            }
        }
    }

    /// Abandons the open segments and gives uploads under way `shutdownGrace` to finish and be committed.
    private func shutDown(_ partitions: inout [TopicPartition: PartitionState], _ committing: inout Committing) async {
        for state in partitions.values {
            state.writer.abandon()
            // Only the segment under way; later ones would need a commit each before they start.
            if state.waiting.count > 1 { state.waiting.removeLast(state.waiting.count - 1) }
        }
        let deadline = ContinuousClock.now + configuration.shutdownGrace
        while partitions.values.contains(where: { $0.upload != nil || $0.stored }) && ContinuousClock.now < deadline {
            _ = settle(&partitions, &committing)
            for state in partitions.values where state.stored == false && state.upload == nil { state.waiting.removeAll() }
            _ = await readiness.wait(timeout: .milliseconds(20))
        }
        let abandoned = partitions.values.filter { $0.upload != nil || $0.stored }.count
        for state in partitions.values { state.upload?.cancel() }
        logger.info("stopped\(abandoned > 0 ? "; \(abandoned) partition(s) abandoned their upload, which a restart writes again" : "")")
    }
}

extension Dumper {
    /// Measures each committed partition's lag (its end minus the committed offset) every `lagInterval`
    /// until `stop()`.
    package func reportLag(admin: KafkaAdmin) async {
        while !stopRequested.load(ordering: .relaxed) {
            for (partition, offset) in committedOffsets.withLock({ $0 }) {
                if let marks = try? await admin.watermarks(topic: partition.topic, partition: partition.partition, timeout: .seconds(5)) {
                    metrics.lag(topic: partition.topic, partition: partition.partition, records: max(0, marks.high - offset))
                }
            }
            let until = ContinuousClock.now + configuration.lagInterval
            while ContinuousClock.now < until && !stopRequested.load(ordering: .relaxed) {
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}
