import FlowGuardJSON
import FlowGuardSupport
import Synchronization

/// The funnel's own record of which click each order came from: `simulate --truth FILE`.
///
/// The generator makes an order from a click still in its pool, and a user's newer click replaces
/// their older one there, so the click named here is always the user's last click before the order:
/// the one the attribution job's last-click model must credit.
package final class FunnelTruth: Sendable {
    /// One order and the click it came from.
    package struct Entry: Sendable, Equatable {
        package var orderEventID: String
        package var orderID: String
        package var userID: Int64
        package var orderTimestampMillis: Int64?
        package var clickEventID: String
        package var adID: String
        package var adType: String
        package var clickTimestampMillis: Int64?
    }

    private let entries = Mutex<[Entry]>([])
    /// The clicks and orders the target stored (acknowledged).
    private let stored = Mutex<Set<String>>([])

    package init() {}

    func record(_ entry: Entry) {
        entries.withLock { $0.append(entry) }
    }

    /// Records that the target stored the click or order `eventID`.
    func markStored(_ eventID: String) {
        stored.withLock { _ = $0.insert(eventID) }
    }

    /// The orders made so far, in the order they were made.
    package var snapshot: [Entry] { entries.withLock { $0 } }

    /// The orders whose order and click the target both stored: a run that falls behind its schedule
    /// drops events, and an order that never reached Kafka, or whose click did not, has no truth to check.
    package var storedEntries: [Entry] {
        let stored = stored.withLock { $0 }
        return snapshot.filter { stored.contains($0.orderEventID) && stored.contains($0.clickEventID) }
    }

    /// One JSON object per line and stored order (``storedEntries``): `order_event_id`, `order_id`, `user_id`, `order_timestamp`,
    /// `model` (always `last_click`: every simulated order follows a click), `credited_event_id`,
    /// `credited_ad_id`, `credited_ad_type`, `credited_timestamp`.
    package var ndjson: [UInt8] {
        var bytes: [UInt8] = []
        for entry in storedEntries {
            let object = JSONObject([
                ("order_event_id", .string(entry.orderEventID)),
                ("order_id", .string(entry.orderID)),
                ("user_id", .number(JSONNumber(entry.userID))),
                ("order_timestamp", entry.orderTimestampMillis.map { .string(RFC3339.format(millis: $0)) } ?? .null),
                ("model", .string("last_click")),
                ("credited_event_id", .string(entry.clickEventID)),
                ("credited_ad_id", .string(entry.adID)),
                ("credited_ad_type", .string(entry.adType)),
                ("credited_timestamp", entry.clickTimestampMillis.map { .string(RFC3339.format(millis: $0)) } ?? .null),
            ])
            JSONWriter.append(.object(object), to: &bytes)
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }
}
