/// The recent events of one funnel stage that the next stage may still follow: the impressions a
/// click may come from, or the clicks an order may come from.
///
/// Entries arrive in time order. An entry leaves when it is followed (each impression is clicked at
/// most once, each click converts at most once), when it is older than `window`, or when more
/// than `capacity` newer entries arrived after it.
struct FunnelPool {
    /// One event that may still be followed.
    struct Entry: Equatable {
        /// When the event was scheduled, from the start of the run.
        let offset: Duration
        let userID: Int64
        let ad: AdInventory.Ad
        /// The `event_id` of the impression or click.
        var eventID: String = ""
        /// The event's `timestamp`, when the run gives events one.
        var timestampMillis: Int64? = nil
    }

    /// How long after an entry it may still be followed.
    let window: Duration
    /// How many of the most recent entries are kept.
    let capacity: Int
    private var entries: [Entry] = []
    /// Entries before `head` have left the pool.
    private var head = 0

    init(window: Duration, capacity: Int = 1024) {
        self.window = window
        self.capacity = capacity
    }

    /// Adds the newest entry.
    mutating func add(_ entry: Entry) {
        entries.append(entry)
        if entries.count - head > capacity {
            head = entries.count - capacity
        }
        if head > 4096 && head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }

    /// Removes the entries of `userID`: a user's newer click supersedes the older ones, so that an
    /// order always follows the user's last click, as the attribution model credits it.
    mutating func removeEntries(of userID: Int64) {
        var index = head
        while index < entries.count {
            if entries[index].userID == userID {
                entries.remove(at: index)
            } else {
                index += 1
            }
        }
    }

    /// Takes a random entry that can still be followed at `offset`, or nil when none can.
    mutating func take(at offset: Duration, using random: inout SeededRandomNumberGenerator) -> Entry? {
        while head < entries.count && entries[head].offset + window < offset {
            head += 1
        }
        guard head < entries.count else { return nil }
        return entries.remove(at: head + random.below(entries.count - head))
    }
}
