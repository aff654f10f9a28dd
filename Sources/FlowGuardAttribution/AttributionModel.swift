/// The attribution model over every user's recent touches: last click within the click window, else
/// last impression within the view window, else none. Times are the events' own timestamps, so the
/// credit an order gets depends only on which touches exist, never on the order they were read in.
package struct AttributionModel: Sendable {
    package let windows: AttributionWindows
    private var users: [Int64: UserTouches] = [:]
    /// Touches held, clicks and impressions.
    package private(set) var touchCount = 0

    package init(windows: AttributionWindows) {
        self.windows = windows
    }

    /// Adds a click or impression.
    package mutating func add(_ touch: AdTouch) {
        let before = users[touch.userID].map { $0.clicks.count + $0.impressions.count } ?? 0
        users[touch.userID, default: UserTouches()].add(touch)
        let after = users[touch.userID].map { $0.clicks.count + $0.impressions.count } ?? 0
        touchCount += after - before
    }

    /// The credit `order` gets from the touches held now.
    package func attribute(_ order: AttributableOrder) -> Attribution {
        guard let touches = users[order.userID] else { return .unattributed }
        if let click = UserTouches.last(in: touches.clicks, atOrBefore: order.timestampMillis, window: windows.click.milliseconds) {
            return Attribution(model: .lastClick, touch: click)
        }
        if let impression = UserTouches.last(in: touches.impressions, atOrBefore: order.timestampMillis, window: windows.view.milliseconds) {
            return Attribution(model: .viewThrough, touch: impression)
        }
        return .unattributed
    }

    /// Forgets the touches no order at or after `time` can be credited to.
    package mutating func evict(ordersFrom time: Int64) {
        let clicksBefore = time - windows.click.milliseconds
        let impressionsBefore = time - windows.view.milliseconds
        var count = 0
        for userID in Array(users.keys) {
            users[userID]!.evict(clicksBefore: clicksBefore, impressionsBefore: impressionsBefore)
            if users[userID]!.isEmpty {
                users[userID] = nil
            } else {
                count += users[userID]!.clicks.count + users[userID]!.impressions.count
            }
        }
        touchCount = count
    }

    /// Forgets every touch of the users for whom `belongs` is false: after a rebalance took their partitions.
    package mutating func keepTouches(where belongs: (AdTouch) -> Bool) {
        var count = 0
        for userID in Array(users.keys) {
            let touches = users[userID]!
            let sample = touches.clicks.first ?? touches.impressions.first
            if let sample, !belongs(sample) {
                users[userID] = nil
            } else {
                count += touches.clicks.count + touches.impressions.count
            }
        }
        touchCount = count
    }
}
