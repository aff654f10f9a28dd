@testable import FlowGuardAttribution
@testable import FlowGuardEvents
import FlowGuardJSON
@testable import FlowGuardSimulator
import Testing

@Suite("simulate --truth: the funnel's own choice of click")
struct SimulatorTruthTests {
    @Test("at 100 events per millisecond, the click the funnel made each order from is the one the last-click model credits")
    func truthIsTheLastClick() throws {
        let truth = FunnelTruth()
        let configuration = FunnelConfiguration(seed: 21, users: 200, clickThroughRate: 0.2, conversionRate: 0.3, eventTimeOrigin: 1_700_000_000_000)
        var generator = FunnelGenerator(configuration: configuration, truth: truth)
        var model = AttributionModel(windows: AttributionWindows())
        var credits: [String: Attribution] = [:]
        var sent: [String] = []
        for index in 0..<30_000 {
            let event = generator.next(at: .microseconds(10) * index)
            if event.kind != .impression { sent.append(event.eventID) }
            let timestamp = try #require(event.clientTimestampMillis)
            switch event.details {
            case .ad(let ad):
                model.add(
                    AdTouch(
                        isClick: ad.isClick, eventID: event.eventID, eventType: event.kind.rawValue, userID: event.userID, adID: ad.adID,
                        adType: ad.adType, timestampMillis: timestamp, partition: 0, offset: Int64(index)
                    )
                )
            case .order:
                let order = AttributableOrder(
                    eventID: event.eventID, userID: event.userID, timestampMillis: timestamp, price: JSONNumber(1), fields: JSONObject(),
                    partition: 0, offset: Int64(index)
                )
                credits[event.eventID] = model.attribute(order)
            }
        }
        let entries = truth.snapshot
        #expect(entries.count == credits.count)
        #expect(entries.count > 1000)
        for entry in entries {
            let credit = try #require(credits[entry.orderEventID])
            #expect(credit.model == .lastClick)
            #expect(credit.touch?.eventID == entry.clickEventID, "order \(entry.orderEventID)")
            #expect(credit.touch?.adID == entry.adID)
        }
        // Every click and order reached Kafka but the first order's click: that order drops out of the file.
        for eventID in sent where eventID != entries[0].clickEventID {
            truth.markStored(eventID)
        }
        let lines = truth.ndjson.split(separator: UInt8(ascii: "\n"))
        #expect(lines.count == entries.count - 1)
        #expect(!String(decoding: lines[0], as: UTF8.self).contains(entries[0].orderEventID + "\""))
        let firstLine = String(decoding: lines[0], as: UTF8.self)
        #expect(firstLine.hasPrefix(#"{"order_event_id":"sim-21-"#) && firstLine.contains(#""model":"last_click","credited_event_id":"sim-21-"#))
    }
}
