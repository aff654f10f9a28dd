import CRdKafka
import Dispatch
import Synchronization

/// Wakes librdkafka's broker threads when a consumer has emptied its prefetch queue while records
/// were flowing, so that they fetch again at once rather than up to a second later.
///
/// librdkafka before 2.1 stops fetching a partition while the consumer's queue holds
/// `queued.min.messages` records or `queued.max.messages.kbytes`, and decides again only when that
/// partition's broker thread wakes: for a request or a response of its own, or else after a fixed
/// second (2.1 made the wait `fetch.queue.backoff.ms`). A reader that empties the queue faster than
/// that waits out the rest of the second, however fast it is itself (bench/NOTES.md, issue 19). Any
/// request wakes the thread it goes to, so after a poll that came back short of records during a
/// backlog, this asks the watermarks of one assigned partition per leading broker, on its own queue:
/// the reader never waits for the answers.
///
/// Only readers that ask for it have one (`dump`): the attribute job, whose click consumer polls a
/// caught-up topic many times a second, reads far slower with it; a likely cause is that a request
/// on a consumer's own connection waits behind its fetch (bench/NOTES.md, issues 19 and 20). The
/// job wakes the brokers only when it assigns new partitions (``KafkaConsumer/assign(_:startingNow:)``).
final class RDKafkaFetchWaker: Sendable {
    /// Only librdkafka before 2.1 waits the fixed second; later ones back off by `fetch.queue.backoff.ms`,
    /// which no wake shortens.
    static let isNeeded = rd_kafka_version() < 0x0201_0000
    /// At most one wake this often: a reader that outpaces the fetches finds the queue empty on every poll.
    static let minimumInterval: Duration = .milliseconds(10)
    /// A consumer that got no records for this long is idle; its fetches wait at the broker, awake.
    static let backlogWindow: Duration = .seconds(1)
    /// How long the leaders of the assignment are trusted before metadata is asked again.
    static let leaderLifetime: Duration = .seconds(10)

    struct State {
        var lastRecords: ContinuousClock.Instant?
        var lastWake: ContinuousClock.Instant?
        var waking = false
        /// One assigned partition per leading broker, for the assignment it was worked out for.
        var targets: (assignment: [TopicPartition], partitions: [TopicPartition], at: ContinuousClock.Instant)?

        /// Notes a poll that got `records` of the `asked`, and whether to wake the broker threads now:
        /// the queue ran dry within ``backlogWindow`` of the last records, no wake is under way, and
        /// the last began at least ``minimumInterval`` ago.
        mutating func pollEnded(records: Int, asked: Int, now: ContinuousClock.Instant) -> Bool {
            if records > 0 { lastRecords = now }
            guard records < asked, !waking, let last = lastRecords, now - last < backlogWindow else { return false }
            if let lastWake, now - lastWake < minimumInterval { return false }
            waking = true
            lastWake = now
            return true
        }
    }

    private let state = Mutex(State())
    private let queue: DispatchQueue

    init(name: String) {
        queue = DispatchQueue(label: "flowguard.rdkafka.\(name).wake")
    }

    /// Called after each batch poll: `records` came of the `asked`. Wakes the broker threads when the
    /// queue ran dry (fewer than asked) within ``backlogWindow`` of the last records.
    func pollEnded(client: RDKafkaClient, records: Int, asked: Int) {
        guard Self.isNeeded else { return }
        let wake = state.withLock { $0.pollEnded(records: records, asked: asked, now: .now) }
        guard wake else { return }
        queue.async { [self] in
            defer { state.withLock { $0.waking = false } }
            Self.wake(client: client, leadersOf: targets(client: client))
        }
    }

    /// Wakes the broker threads that lead `partitions` (on librdkafka before 2.1), from a background
    /// queue: the caller does not wait.
    static func wakeSoon(client: RDKafkaClient, leadersOf partitions: [TopicPartition]) {
        guard isNeeded, !partitions.isEmpty else { return }
        DispatchQueue.global().async {
            wake(client: client, leadersOf: partitions)
        }
    }

    /// Wakes the broker threads that lead `partitions` by asking each partition's watermarks; returns
    /// when the answers came (or after a second each).
    private static func wake(client: RDKafkaClient, leadersOf partitions: [TopicPartition]) {
        for partition in partitions {
            var low: Int64 = 0
            var high: Int64 = 0
            // The answer does not matter: the request going out is what wakes the thread.
            _ = rd_kafka_query_watermark_offsets(client.handle, partition.topic, partition.partition, &low, &high, 1000)
        }
    }

    /// One assigned partition per broker that leads any of them, from metadata at most
    /// ``leaderLifetime`` old and taken for the current assignment.
    private func targets(client: RDKafkaClient) -> [TopicPartition] {
        guard let assignment = try? client.assignment(), !assignment.isEmpty else { return [] }
        let now = ContinuousClock.now
        if let cached = state.withLock({ $0.targets }), cached.assignment == assignment, now - cached.at < Self.leaderLifetime {
            return cached.partitions
        }
        var pointer: UnsafePointer<rd_kafka_metadata>? = nil
        guard rd_kafka_metadata(client.handle, 0, nil, &pointer, 1000) == RD_KAFKA_RESP_ERR_NO_ERROR, let pointer else { return [] }
        defer { rd_kafka_metadata_destroy(pointer) }
        let metadata = ClusterMetadata(pointer.pointee)
        var byLeader: [Int32: TopicPartition] = [:]
        for partition in assignment {
            guard let leader = metadata.topic(named: partition.topic)?.partitions.first(where: { $0.id == partition.partition })?.leader,
                leader >= 0, byLeader[leader] == nil
            else { continue }
            byLeader[leader] = partition
        }
        let partitions = byLeader.values.sorted()
        state.withLock { $0.targets = (assignment, partitions, now) }
        return partitions
    }
}
