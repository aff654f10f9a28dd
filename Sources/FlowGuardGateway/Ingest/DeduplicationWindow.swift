import FlowGuardEvents
import FlowGuardKafka
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Remembers, for a bounded time and number of events, which `event_id`s each event type already
/// accepted, so that a client's retry is answered with the original's partition and offset instead
/// of being produced again.
///
/// Per gateway instance: behind a load balancer a retry that lands on another instance is not
/// recognised (see the README). Memory is bounded by `capacity`: each id costs one 40-byte slot in
/// an insertion-ordered ring plus 8 bytes of hash index (48 MB at 1M ids), never the event.
final class DeduplicationWindow: Sendable {
    /// What `begin` decided.
    enum Decision: Sendable {
        /// First time: produce it, then call `complete` (with `slot`, which saves a lookup) or `abandon`.
        case new(slot: Int?)
        /// Already stored at this position.
        case duplicate(DeliveryReport)
        /// The same id was accepted with different content.
        case conflict
        /// The original, which this retry waited for, was not stored; the retry gets the same answer.
        case originalFailed(SubmissionOutcome)
    }

    /// A 128-bit digest: two SipHash-1-3 values (Swift's `Hasher`, keyed with the process's random
    /// seed) over the same bytes under two domain tags. Nothing outside the process ever sees one,
    /// so clients cannot aim for collisions; by chance one needs about 2^64 ids in the window.
    struct Digest: Hashable, Sendable {
        var high: UInt64
        var low: UInt64

        /// The key of an event: the digest of its type and its id, each followed by a zero byte (so
        /// that ("ab", "c") ≠ ("a", "bc")).
        init(kind: EventKind, eventID: String) {
            self.init { hasher in
                var kindName = kind.rawValue
                kindName.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
                hasher.combine(UInt8(0))
                var eventID = eventID
                eventID.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
                hasher.combine(UInt8(0))
            }
        }

        init(high: UInt64, low: UInt64) {
            self.high = high
            self.low = low
        }

        private init(_ feed: (inout Hasher) -> Void) {
            var first = Hasher()
            first.combine(UInt8(0xA5))
            feed(&first)
            var second = Hasher()
            second.combine(UInt8(0x5A))
            feed(&second)
            self.init(high: UInt64(UInt(bitPattern: first.finalize())), low: UInt64(UInt(bitPattern: second.finalize())))
        }
    }

    /// The digest of an event's content, which a retry with the same id must match: one SipHash-1-3
    /// value, keyed like ``Digest``. It is only compared once the 128-bit key matched, so 64 bits are
    /// enough: a conflicting reuse of an id passes for a retry with a chance of 2^-64.
    struct ContentDigest: Hashable, Sendable {
        var value: UInt64

        /// The digest of `parts`, each followed by a zero byte.
        init<Bytes: Sequence>(_ parts: Bytes...) where Bytes.Element == UInt8 {
            self.init { hasher in
                for part in parts {
                    Array(part).withUnsafeBytes { hasher.combine(bytes: $0) }
                    hasher.combine(UInt8(0))
                }
            }
        }

        /// The digest of an event's `fingerprint`, as `init(_:)` would give, read from its encoded value.
        init(fingerprintOf encoded: EncodedValue) {
            self.init { hasher in
                encoded.forEachFingerprintPart { hasher.combine(bytes: $0) }
                hasher.combine(UInt8(0))
            }
        }

        private init(_ feed: (inout Hasher) -> Void) {
            var hasher = Hasher()
            feed(&hasher)
            value = UInt64(UInt(bitPattern: hasher.finalize()))
        }
    }

    let window: Duration
    let capacity: Int
    private let started = ContinuousClock.now
    private let state: Mutex<State>

    init(window: Duration, capacity: Int) {
        self.window = window
        self.capacity = capacity
        self.state = Mutex(State(capacity: capacity))
    }

    /// Events remembered now.
    var count: Int { state.withLock { $0.table.count } }

    /// Stored ids forgotten since start because the table was full, before `window` had passed: a
    /// retry of one of them is produced again. Non-zero means `capacity` is too small for the traffic.
    var evictedBeforeWindow: Int { state.withLock { $0.table.evictedBeforeWindow } }

    private var nowSeconds: UInt32 {
        UInt32(clamping: (ContinuousClock.now - started).components.seconds)
    }

    /// The key of an event: its type and id.
    static func key(kind: EventKind, eventID: String) -> Digest {
        Digest(kind: kind, eventID: eventID)
    }

    /// Registers an event, or tells what happened to an earlier one with the same id; never waits.
    /// - Returns: nil when an original with this id is still waiting for Kafka (`begin` waits for it).
    func tryBegin(key: Digest, content: ContentDigest, topic: String) -> Decision? {
        let now = nowSeconds
        return state.withLock { state in
            state.decide(key: key, content: content.value, topic: topic, now: now, window: window)
        }
    }

    /// `tryBegin` for every event of a batch, in order, taking the lock once per 64 events rather than
    /// once per event: one lock for all 1,000 of a full batch would make a single event wait about 0.4 ms.
    /// - Returns: one decision per event; a later event with the id of an earlier one in flight
    ///   (this batch's own included) gets nil.
    func tryBegin(_ events: [(key: Digest, content: ContentDigest, topic: String)]) -> [Decision?] {
        let now = nowSeconds
        var decisions: [Decision?] = []
        decisions.reserveCapacity(events.count)
        var start = 0
        while start < events.count {
            let chunk = start..<min(start + 64, events.count)
            decisions += state.withLock { state in
                chunk.map { state.decide(key: events[$0].key, content: events[$0].content.value, topic: events[$0].topic, now: now, window: window) }
            }
            start = chunk.upperBound
        }
        return decisions
    }

    /// Registers an event, or tells what happened to an earlier one with the same id.
    /// A retry of an event still in flight waits here for the original's outcome.
    func begin(key: Digest, content: ContentDigest, topic: String) async -> Decision {
        if let decision = tryBegin(key: key, content: content, topic: topic) { return decision }
        return await withCheckedContinuation { continuation in
            begin(key: key, content: content, topic: topic) { continuation.resume(returning: $0) }
        }
    }

    /// Registers an event, or tells what happened to an earlier one with the same id, through
    /// `decided`: at once on the calling thread, or, for a retry of an event still in flight, on
    /// the thread that settles the original (it must return quickly).
    func begin(key: Digest, content: ContentDigest, topic: String, decided: @escaping @Sendable (Decision) -> Void) {
        let now = nowSeconds
        let decision: Decision? = state.withLock { state in
            guard let decision = state.decide(key: key, content: content.value, topic: topic, now: now, window: window) else {
                state.waiters[key, default: []].append(decided)
                return nil
            }
            return decision
        }
        if let decision {
            decided(decision)
        }
    }

    /// The event was stored: remember where, and answer the retries that waited.
    /// - Parameter slot: the slot `begin` gave with `.new`, if any.
    func complete(key: Digest, report: DeliveryReport, slot: Int? = nil) {
        let now = nowSeconds
        let waiters = state.withLock { state -> [@Sendable (Decision) -> Void] in
            state.table.markStored(key: key, slot: slot, partition: report.partition, offset: report.offset, at: now)
            return state.waiters.isEmpty ? [] : state.waiters.removeValue(forKey: key) ?? []
        }
        waiters.forEach { $0(.duplicate(report)) }
    }

    /// `complete` for every stored event of a batch, under one lock.
    func complete(_ stored: [(key: Digest, report: DeliveryReport, slot: Int?)]) {
        let now = nowSeconds
        let waiters = state.withLock { state -> [(waiters: [@Sendable (Decision) -> Void], report: DeliveryReport)] in
            for event in stored {
                state.table.markStored(key: event.key, slot: event.slot, partition: event.report.partition, offset: event.report.offset, at: now)
            }
            guard !state.waiters.isEmpty else { return [] }
            return stored.compactMap { event in state.waiters.removeValue(forKey: event.key).map { ($0, event.report) } }
        }
        for (callbacks, report) in waiters {
            callbacks.forEach { $0(.duplicate(report)) }
        }
    }

    /// The event was not stored (or may not have been): forget it so that a retry is produced,
    /// and give the retries that waited the same answer.
    func abandon(key: Digest, outcome: SubmissionOutcome) {
        let waiters = state.withLock { state -> [@Sendable (Decision) -> Void] in
            state.table.remove(key: key)
            return state.waiters.removeValue(forKey: key) ?? []
        }
        waiters.forEach { $0(.originalFailed(outcome)) }
    }
}

extension DeduplicationWindow {
    private struct State {
        var table: DeduplicationTable
        /// Retries waiting for an original still in flight (rare: only concurrent retries).
        var waiters: [Digest: [@Sendable (Decision) -> Void]] = [:]

        init(capacity: Int) {
            table = DeduplicationTable(capacity: capacity)
        }

        /// `.new` (and registers the key), a stored or conflicting original, or nil while the original is in flight.
        mutating func decide(key: Digest, content: UInt64, topic: String, now: UInt32, window: Duration) -> Decision? {
            table.evict(now: now, windowSeconds: UInt32(clamping: window.components.seconds))
            if let slot = table.find(key: key) {
                guard slot.content == content else { return .conflict }
                guard slot.isStored else { return nil }
                return .duplicate(DeliveryReport(topic: topic, partition: slot.partition, offset: slot.offset))
            }
            // No slot when the ring is full and its oldest id is still in flight: this one goes unremembered.
            return .new(slot: table.insert(key: key, content: content))
        }
    }
}

/// The ids themselves: slots in insertion order in a ring (so the oldest is evicted first), found
/// through an open-addressing index of ring positions (linear probing, at most half full).
///
/// Both are allocated at full size up front but zero-filled lazily by the kernel (`calloc`), so
/// resident memory grows with the ids remembered, and the table is never copied to grow. A lookup
/// never evicts; a new id takes the oldest stored id's slot when the ring is full. When the oldest is
/// still in flight (with `capacity` near the in-flight limit), the new id is not remembered.
final class DeduplicationTable {
    struct Slot {
        var keyHigh: UInt64
        var keyLow: UInt64
        /// The content digest.
        var content: UInt64
        var offset: Int64 = -1
        var partition: Int32 = -1
        /// Seconds since the window started when Kafka acknowledged it, plus one; `inFlight` or `removed` otherwise.
        var storedAt: UInt32 = Slot.inFlight

        static let inFlight: UInt32 = 0
        static let removed: UInt32 = .max

        var isStored: Bool { storedAt != Self.inFlight && storedAt != Self.removed }
    }

    let capacity: Int
    private let ring: UnsafeMutablePointer<Slot>
    /// Ring position + 1 per bucket, 0 for an empty bucket; the bucket count is a power of two.
    private let index: UnsafeMutablePointer<UInt32>
    private let mask: Int
    /// Position in `ring` of the oldest slot, and slots in use from there (removed ones included).
    private var head = 0
    private var used = 0
    /// Live entries (in flight or stored).
    private(set) var count = 0
    /// Stored ids `insert` dropped to make room. `evict` runs first on every decision, so each of
    /// them was still younger than the window.
    private(set) var evictedBeforeWindow = 0

    init(capacity: Int) {
        self.capacity = max(1, min(capacity, Int(UInt32.max / 2)))
        var buckets = 1
        while buckets < self.capacity * 2 { buckets <<= 1 }
        // calloc: untouched pages stay unmapped zero pages, so memory follows use.
        guard let ring = calloc(self.capacity, MemoryLayout<Slot>.stride), let index = calloc(buckets, MemoryLayout<UInt32>.stride) else {
            fatalError("cannot allocate the deduplication window (\(self.capacity) ids)")
        }
        self.ring = ring.bindMemory(to: Slot.self, capacity: self.capacity)
        self.index = index.bindMemory(to: UInt32.self, capacity: buckets)
        self.mask = buckets - 1
    }

    deinit {
        free(ring)
        free(index)
    }

    private func bucket(of keyLow: UInt64) -> Int { Int(truncatingIfNeeded: keyLow) & mask }

    private func position(of key: DeduplicationWindow.Digest) -> (bucket: Int, position: Int)? {
        var bucket = bucket(of: key.low)
        while index[bucket] != 0 {
            let position = Int(index[bucket]) - 1
            if ring[position].keyLow == key.low && ring[position].keyHigh == key.high { return (bucket, position) }
            bucket = (bucket + 1) & mask
        }
        return nil
    }

    func find(key: DeduplicationWindow.Digest) -> Slot? {
        position(of: key).map { ring[$0.position] }
    }

    /// Remembers a new id as in flight, evicting the oldest stored one when the ring is full.
    /// - Returns: its slot, which stays put until it is stored and evicted; nil when the oldest slot
    ///   holds an event still in flight (the ring is then full of them).
    func insert(key: DeduplicationWindow.Digest, content: UInt64) -> Int? {
        while used >= capacity {
            let wasStored = ring[head].isStored
            guard dropOldest() else { return nil }
            if wasStored { evictedBeforeWindow += 1 }
        }
        let position = (head + used) % capacity
        ring[position] = Slot(keyHigh: key.high, keyLow: key.low, content: content)
        used += 1
        count += 1
        var bucket = bucket(of: key.low)
        while index[bucket] != 0 { bucket = (bucket + 1) & mask }
        index[bucket] = UInt32(position + 1)
        return position
    }

    func markStored(key: DeduplicationWindow.Digest, slot: Int?, partition: Int32, offset: Int64, at now: UInt32) {
        let position: Int
        if let slot, slot < capacity, ring[slot].keyLow == key.low, ring[slot].keyHigh == key.high, ring[slot].storedAt == Slot.inFlight {
            position = slot
        } else if let (_, found) = self.position(of: key) {
            position = found
        } else {
            return
        }
        ring[position].partition = partition
        ring[position].offset = offset
        ring[position].storedAt = min(now, Slot.removed - 2) + 1
    }

    func remove(key: DeduplicationWindow.Digest) {
        guard let (bucket, position) = position(of: key) else { return }
        ring[position].storedAt = Slot.removed
        count -= 1
        unindex(bucket: bucket)
    }

    /// Drops entries older than the window, oldest first; stops at the first one in flight or still young.
    func evict(now: UInt32, windowSeconds: UInt32) {
        while used > 0 {
            let oldest = ring[head]
            if oldest.storedAt != Slot.removed {
                guard oldest.isStored, now &- (oldest.storedAt - 1) >= windowSeconds else { return }
            }
            dropOldest()
        }
    }

    /// Frees the oldest slot (forgetting its id), unless it holds an event in flight.
    @discardableResult
    private func dropOldest() -> Bool {
        let oldest = ring[head]
        if oldest.storedAt == Slot.inFlight { return false }
        if oldest.storedAt != Slot.removed {
            if let (bucket, _) = position(of: DeduplicationWindow.Digest(high: oldest.keyHigh, low: oldest.keyLow)) {
                unindex(bucket: bucket)
            }
            count -= 1
        }
        head = (head + 1) % capacity
        used -= 1
        return true
    }

    /// Empties `bucket` and moves later entries of its probe run back, so that lookups need no tombstones.
    private func unindex(bucket: Int) {
        var hole = bucket
        var next = (hole + 1) & mask
        while index[next] != 0 {
            let position = Int(index[next]) - 1
            let home = self.bucket(of: ring[position].keyLow)
            // Move the entry into the hole unless its home lies cyclically in (hole, next].
            if (hole - home) & mask < (next - home) & mask {
                index[hole] = index[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        index[hole] = 0
    }
}
