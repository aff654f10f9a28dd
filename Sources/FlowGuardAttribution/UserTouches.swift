/// One user's recent clicks and impressions, each kind kept sorted by ``AdTouch/precedes(_:)``.
struct UserTouches: Sendable {
    private(set) var clicks: [AdTouch] = []
    private(set) var impressions: [AdTouch] = []

    var isEmpty: Bool { clicks.isEmpty && impressions.isEmpty }

    /// Adds a touch in its place; touches mostly arrive in time order, so this is mostly an append.
    /// A touch already held (the same record read again after a restart) is not added twice.
    mutating func add(_ touch: AdTouch) {
        if touch.isClick {
            Self.insert(touch, into: &clicks)
        } else {
            Self.insert(touch, into: &impressions)
        }
    }

    /// The last touch of `touches` at or before `time` and not before `time - window`.
    static func last(in touches: [AdTouch], atOrBefore time: Int64, window: Int64) -> AdTouch? {
        // The first index whose time is after `time`: everything before it qualifies by time.
        var low = 0
        var high = touches.count
        while low < high {
            let middle = (low + high) / 2
            if touches[middle].timestampMillis <= time { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        let candidate = touches[low - 1]
        return candidate.timestampMillis >= time - window ? candidate : nil
    }

    /// Drops the clicks older than `clicksBefore` and the impressions older than `impressionsBefore`.
    mutating func evict(clicksBefore: Int64, impressionsBefore: Int64) {
        Self.drop(before: clicksBefore, from: &clicks)
        Self.drop(before: impressionsBefore, from: &impressions)
    }

    private static func insert(_ touch: AdTouch, into touches: inout [AdTouch]) {
        var index = touches.count
        while index > 0 && touch.precedes(touches[index - 1]) {
            index -= 1
        }
        if index > 0 && touches[index - 1] == touch {
            return
        }
        touches.insert(touch, at: index)
    }

    private static func drop(before time: Int64, from touches: inout [AdTouch]) {
        guard let first = touches.first, first.timestampMillis < time else { return }
        let keep = touches.firstIndex { $0.timestampMillis >= time } ?? touches.count
        touches.removeFirst(keep)
    }
}
