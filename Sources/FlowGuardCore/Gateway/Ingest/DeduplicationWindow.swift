import Crypto
import DequeModule
import Synchronization

/// Remembers, for a bounded time and number of events, which `event_id`s each event type already
/// accepted, so that a client's retry is answered with the original's partition and offset instead
/// of being produced again.
///
/// Per gateway instance: behind a load balancer a retry that lands on another instance is not
/// recognised (see the README). Memory is bounded by `capacity`; each entry keeps two 16-byte
/// digests and the stored position, not the event.
final class DeduplicationWindow: Sendable {
    /// What `begin` decided.
    enum Decision: Sendable {
        /// First time: produce it, then call `complete` or `abandon`.
        case new
        /// Already stored at this position.
        case duplicate(DeliveryReport)
        /// The same id was accepted with different content.
        case conflict
        /// The original, which this retry waited for, was not stored; the retry gets the same answer.
        case originalFailed(SubmissionOutcome)
    }

    /// A 128-bit digest.
    struct Digest: Hashable, Sendable {
        var high: UInt64
        var low: UInt64

        init<Bytes: Sequence>(_ parts: Bytes...) where Bytes.Element == UInt8 {
            var hasher = SHA256()
            for part in parts {
                hasher.update(data: Array(part))
                hasher.update(data: [0])
            }
            let digest = Array(hasher.finalize())
            high = digest[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
            low = digest[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
        }
    }

    private struct Entry {
        var content: Digest
        var topic: String
        var partition: Int32 = -1
        var offset: Int64 = -1
        /// Seconds since the window started when Kafka acknowledged it; nil while in flight.
        var storedAt: UInt32?
        var waiters: [CheckedContinuation<Decision, Never>] = []
    }

    private struct State {
        var entries: [Digest: Entry] = [:]
        /// Keys in insertion order, for eviction.
        var order: Deque<Digest> = []
    }

    let window: Duration
    let capacity: Int
    private let started = ContinuousClock.now
    private let state = Mutex(State())

    init(window: Duration, capacity: Int) {
        self.window = window
        self.capacity = capacity
    }

    /// Events remembered now.
    var count: Int { state.withLock { $0.entries.count } }

    private var nowSeconds: UInt32 {
        UInt32(clamping: (ContinuousClock.now - started).components.seconds)
    }

    /// The key of an event: its type and id.
    static func key(kind: EventKind, eventID: String) -> Digest {
        Digest(Array(kind.rawValue.utf8), Array(eventID.utf8))
    }

    /// Registers an event, or tells what happened to an earlier one with the same id.
    /// A retry of an event still in flight waits here for the original's outcome.
    func begin(key: Digest, content: Digest, topic: String) async -> Decision {
        await withCheckedContinuation { continuation in
            let now = nowSeconds
            let decision: Decision? = state.withLock { state in
                evict(&state, now: now)
                if let entry = state.entries[key] {
                    guard entry.content == content else { return .conflict }
                    if entry.storedAt != nil {
                        return .duplicate(DeliveryReport(topic: entry.topic, partition: entry.partition, offset: entry.offset))
                    }
                    state.entries[key]!.waiters.append(continuation)
                    return nil
                }
                state.entries[key] = Entry(content: content, topic: topic)
                state.order.append(key)
                return .new
            }
            if let decision {
                continuation.resume(returning: decision)
            }
        }
    }

    /// The event was stored: remember where, and answer the retries that waited.
    func complete(key: Digest, report: DeliveryReport) {
        let now = nowSeconds
        let waiters = state.withLock { state -> [CheckedContinuation<Decision, Never>] in
            guard var entry = state.entries[key] else { return [] }
            entry.partition = report.partition
            entry.offset = report.offset
            entry.storedAt = now
            let waiters = entry.waiters
            entry.waiters = []
            state.entries[key] = entry
            return waiters
        }
        waiters.forEach { $0.resume(returning: .duplicate(report)) }
    }

    /// The event was not stored (or may not have been): forget it so that a retry is produced,
    /// and give the retries that waited the same answer.
    func abandon(key: Digest, outcome: SubmissionOutcome) {
        let waiters = state.withLock { state -> [CheckedContinuation<Decision, Never>] in
            state.entries.removeValue(forKey: key)?.waiters ?? []
        }
        waiters.forEach { $0.resume(returning: .originalFailed(outcome)) }
    }

    /// Drops entries older than the window, and the oldest stored ones beyond the capacity.
    /// Entries still in flight are never dropped (they are bounded by the in-flight limit).
    private func evict(_ state: inout State, now: UInt32) {
        let windowSeconds = UInt32(clamping: window.components.seconds)
        while let oldest = state.order.first {
            guard let entry = state.entries[oldest] else {
                state.order.removeFirst()  // abandoned earlier
                continue
            }
            guard let storedAt = entry.storedAt else { break }
            let expired = now &- storedAt >= windowSeconds
            guard expired || state.entries.count >= capacity else { break }
            state.entries.removeValue(forKey: oldest)
            state.order.removeFirst()
        }
    }
}
