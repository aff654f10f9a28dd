@testable import FlowGuardAttribution
import FlowGuardJSON
@testable import FlowGuardKafka
import Testing

/// Touches and orders of one test, in milliseconds from an arbitrary origin.
private func touch(_ id: String, user: Int64 = 7, click: Bool = true, at millis: Int64, ad: String = "ad_1", type: String = "banner", offset: Int64 = 0) -> AdTouch {
    AdTouch(
        isClick: click, eventID: id, eventType: click ? "click" : "impression", userID: user, adID: ad, adType: type,
        timestampMillis: millis, partition: 1, offset: offset
    )
}

private func order(_ id: String = "o1", user: Int64 = 7, at millis: Int64, partition: Int32 = 1, offset: Int64 = 0) -> AttributableOrder {
    AttributableOrder(
        eventID: id, userID: user, timestampMillis: millis, price: JSONNumber(lexeme: "10.50")!,
        fields: JSONObject([("event_id", .string(id)), ("user_id", .number(JSONNumber(user)))]), partition: partition, offset: offset
    )
}

private let hour: Int64 = 3_600_000

@Suite("attribute: the model, the hold and the records")
struct AttributionModelTests {
    @Test("the last click before the order within the click window is credited, not an earlier one nor a later one")
    func lastClickWins() {
        var model = AttributionModel(windows: AttributionWindows())
        model.add(touch("c1", at: 1000, ad: "ad_1"))
        model.add(touch("c3", at: 9000, ad: "ad_3"))
        model.add(touch("c2", at: 5000, ad: "ad_2"))
        model.add(touch("i1", click: false, at: 6000))
        let credit = model.attribute(order(at: 8000))
        #expect(credit.model == .lastClick)
        #expect(credit.touch?.eventID == "c2")
        #expect(credit.timeToConvertMillis(of: order(at: 8000)) == 3000)
    }

    @Test("a click at the order's own millisecond counts; between equal times the later record wins")
    func sameMillisecond() {
        var model = AttributionModel(windows: AttributionWindows())
        model.add(touch("late", at: 8000, offset: 5))
        model.add(touch("early", at: 8000, offset: 4))
        #expect(model.attribute(order(at: 8000)).touch?.eventID == "late")
        #expect(model.attribute(order(at: 7999)).model == .none)
    }

    @Test("no click in the window: the last impression within the view window; neither: none")
    func viewThroughThenNone() {
        var model = AttributionModel(windows: AttributionWindows(click: .seconds(3600), view: .seconds(60)))
        model.add(touch("old-click", at: 0))
        model.add(touch("i1", click: false, at: hour + 1000))
        model.add(touch("i2", click: false, at: hour + 2000))
        let viewed = model.attribute(order(at: hour + 30_000))
        #expect(viewed.model == .viewThrough)
        #expect(viewed.touch?.eventID == "i2")
        // The click is exactly one window old at hour: still in.
        #expect(model.attribute(order(at: hour)).touch?.eventID == "old-click")
        #expect(model.attribute(order(at: hour + 2000 + 60_001)).model == .none)
        #expect(model.attribute(order(user: 8, at: hour)).model == .none)
    }

    @Test("a click of another user or after the order is never credited")
    func otherUsersAndFuture() {
        var model = AttributionModel(windows: AttributionWindows())
        model.add(touch("other", user: 9, at: 100))
        model.add(touch("after", at: 900))
        #expect(model.attribute(order(at: 500)) == .unattributed)
    }

    @Test("the same touch read twice (after a restart) is held once; eviction keeps what later orders need")
    func duplicatesAndEviction() {
        var model = AttributionModel(windows: AttributionWindows(click: .seconds(10), view: .seconds(1)))
        model.add(touch("c1", at: 1000, offset: 1))
        model.add(touch("c1", at: 1000, offset: 1))
        model.add(touch("i1", click: false, at: 1500, offset: 2))
        #expect(model.touchCount == 2)
        model.evict(ordersFrom: 3000)
        #expect(model.touchCount == 1)
        #expect(model.attribute(order(at: 3000)).touch?.eventID == "c1")
        model.evict(ordersFrom: 12_000)
        #expect(model.touchCount == 0)
    }

    @Test("3 order partitions and 6 click partitions: order partition p reads click partitions p and p + 3")
    func layout() throws {
        let layout = try PartitionLayout(orderPartitions: 3, clickPartitions: 6)
        #expect(layout.clickPartitions(of: 0) == [0, 3])
        #expect(layout.clickPartitions(of: 2) == [2, 5])
        #expect(layout.orderPartition(ofClickPartition: 4) == 1)
        #expect(throws: AttributionInputError.self) { try PartitionLayout(orderPartitions: 4, clickPartitions: 6) }
    }

    @Test("an order is held until both of its click partitions pass its time, or for the allowed lateness once both were read to their end")
    func holdUntilWatermark() throws {
        let layout = try PartitionLayout(orderPartitions: 3, clickPartitions: 6)
        var hold = OrderHold(layout: layout, windows: AttributionWindows(allowedLateness: .seconds(30), outOfOrderness: .milliseconds(100)))
        let start = ContinuousClock.now
        hold.hold(order("a", at: 5000, partition: 1, offset: 10), now: start)
        hold.hold(order("b", at: 2000, partition: 1, offset: 11), now: start)
        #expect(hold.release(now: start).isEmpty)
        #expect(hold.commitOffset(of: 1) == 10)
        hold.noteClick(partition: 1, timestampMillis: 9000)
        #expect(hold.release(now: start).isEmpty, "partition 4 has not been read yet")
        hold.noteClick(partition: 4, timestampMillis: 2100)
        #expect(hold.release(now: start).isEmpty, "2100 - 100 is not past 2000")
        hold.noteClick(partition: 4, timestampMillis: 2101)
        #expect(hold.release(now: start).map(\.eventID) == ["b"])
        #expect(hold.commitOffset(of: 1) == 10)
        #expect(hold.release(now: start + .seconds(60)).isEmpty, "the click partitions may still hold clicks before it")
        hold.noteClickPartition(1, caughtUp: true, now: start + .seconds(60))
        hold.noteClickPartition(4, caughtUp: true, now: start + .seconds(70))
        hold.noteClickPartition(1, caughtUp: true, now: start + .seconds(80))
        #expect(hold.release(now: start + .seconds(99)).isEmpty)
        #expect(hold.release(now: start + .seconds(100)).map(\.eventID) == ["a"])
        #expect(hold.commitOffset(of: 1) == 12)
        #expect(hold.commitOffset(of: 0) == nil)
    }

    @Test("the output record: keyed by user_id, the order's fields, the credit, and where the order was read")
    func outputRecord() throws {
        let credited = touch("c1", at: 1_700_000_000_000, ad: "ad_9", type: "video")
        let theOrder = order(at: 1_700_000_004_000, partition: 2, offset: 41)
        let record = AttributedOrder(order: theOrder, attribution: Attribution(model: .lastClick, touch: credited)).record(topic: "attributed.orders.v1")
        #expect(record.key == Array("7".utf8))
        let text = String(decoding: record.value, as: UTF8.self)
        #expect(
            text == #"{"event_id":"o1","user_id":7,"attribution_model":"last_click","credited_event_id":"c1","credited_event_type":"click","credited_ad_id":"ad_9","credited_ad_type":"video","credited_timestamp":"2023-11-14T22:13:20.000Z","time_to_convert_ms":4000,"source_partition":2,"source_offset":41}"#
        )
        let readBack = KafkaRecord(topic: "attributed.orders.v1", partition: 2, offset: 0, timestampMillis: nil, key: record.key, value: record.value, headers: [])
        let source = try #require(AttributedOrder.source(of: readBack))
        #expect(source.partition == 2 && source.offset == 41)
    }

    @Test("records of the input topics decode; a bad one names its field")
    func decoding() throws {
        let click = KafkaRecord(
            topic: "raw.clicks.v1", partition: 3, offset: 8, timestampMillis: nil, key: Array("7".utf8),
            value: Array(#"{"event_id":"c","user_id":7,"ad_id":"ad_1","is_click":false,"ad_type":"banner","event_type":"click","timestamp":"2025-06-15T07:00:00.000Z","received_at":"2025-06-15T07:00:00.001Z"}"#.utf8),
            headers: []
        )
        let decoded = try InputDecoding.touch(from: click)
        #expect(!decoded.isClick && decoded.timestampMillis == 1_749_970_800_000 && decoded.partition == 3 && decoded.offset == 8)
        var broken = click
        broken.value = Array(#"{"event_id":"c","user_id":7}"#.utf8)
        #expect(throws: AttributionInputError("field 'is_click' is missing or not a boolean")) { try InputDecoding.touch(from: broken) }
        #expect(order(at: 0).isProbe == false)
        #expect(order("flowguard-probe-1234", at: 0).isProbe)
    }
}
