@testable import FlowGuardAttribution
@testable import FlowGuardConsole
@testable import FlowGuardEvents
import FlowGuardJSON
@testable import FlowGuardKafka
import FlowGuardSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// One order as `flowguard attribute` writes it: a gateway order of `price`, read at `source` of the
/// orders topic by the job's own decoder, credited to `ad` (a click, or an impression for view-through)
/// `millisBefore` the order, or to nothing, and made into the job's record.
private func attributed(
    _ id: String, price: String, source: (partition: Int32, offset: Int64),
    ad: (id: String, type: String, click: Bool, millisBefore: Int64)? = nil
) throws -> OutgoingRecord {
    let orderTime: Int64 = 1_767_323_045_000
    let event = ValidatedEvent(
        kind: .order, eventID: "o-\(id)", userID: 7, clientTimestampMillis: orderTime,
        details: .order(.init(orderID: "ORD-\(id)", itemID: 3, itemName: "Dosa", price: JSONNumber(lexeme: price)!))
    )
    let written = event.kafkaRecord(requestID: "r", receivedAtMillis: orderTime)
    let order = try InputDecoding.order(
        from: KafkaRecord(
            topic: EventKind.order.topic, partition: source.partition, offset: source.offset, timestampMillis: orderTime, key: written.key,
            value: written.value, headers: written.headers
        )
    )
    let attribution = ad.map { ad in
        Attribution(
            model: ad.click ? .lastClick : .viewThrough,
            touch: AdTouch(
                isClick: ad.click, eventID: "t-\(id)", eventType: ad.click ? "click" : "impression", userID: 7, adID: ad.id, adType: ad.type,
                timestampMillis: orderTime - ad.millisBefore, partition: source.partition, offset: 0
            )
        )
    } ?? .unattributed
    return AttributedOrder(order: order, attribution: attribution).record(topic: attributedOrdersTopic.name)
}

private extension ConsoleHarness {
    /// A console on a cluster that has the output topic, as `init-topics` creates it.
    static func withOutputTopic(configure: (inout ConsoleConfiguration) -> Void = { _ in }) throws -> ConsoleHarness {
        try ConsoleHarness(topics: shippedTopics, configure: configure)
    }

    /// Writes `record` to one partition of its topic, stamped `millis`.
    func write(_ record: OutgoingRecord, partition: Int32, at millis: Int64) async throws {
        _ = try await producer.produce(
            topic: record.topic, partition: partition, key: record.key, value: record.value, headers: record.headers, timestampMillis: millis
        )
    }

    func writeRaw(_ value: String, partition: Int32, at millis: Int64) async throws {
        _ = try await producer.produce(topic: attributedOrdersTopic.name, partition: partition, key: nil, value: Array(value.utf8), timestampMillis: millis)
    }
}

/// The number a JSON answer holds at `key`, as text: sums are compared digit for digit.
private func number(_ text: String, _ key: String) -> String? {
    guard let range = text.range(of: "\"\(key)\":") else { return nil }
    return String(text[range.upperBound...].prefix { "0123456789.-eE".contains($0) })
}

/// The attribution page and `/api/attribution` against an embedded cluster: records written as the
/// job writes them are added up exactly, by model and by ad, over the asked time range.
@Suite struct ConsoleAttributionTests {
    @Test func theFiguresAreTheSumsOfTheRecordsByModelAndByAdAndThePageShowsThem() async throws {
        let harness = try ConsoleHarness.withOutputTopic()
        let now = ConsoleCluster.nowMillis()
        let adB = try attributed("b1", price: "400.00", source: (1, 0), ad: ("ad_B", "video", true, 10_000))
        let records: [(OutgoingRecord, Int32)] = [
            (try attributed("a1", price: "100.10", source: (0, 0), ad: ("ad_A", "banner", true, 60_000)), 0),
            (try attributed("a2", price: "200.20", source: (0, 1), ad: ("ad_A", "banner", true, 120_000)), 0),
            (try attributed("a3", price: "50.05", source: (2, 0), ad: ("ad_A", "banner", false, 30_000)), 2),
            (adB, 1),
            (try attributed("c1", price: "0.10", source: (1, 1), ad: ("ad_C", "banner", true, 1000)), 1),
            (try attributed("d1", price: "0.20", source: (2, 1), ad: ("<b>ad_D</b>", "native", true, 3000)), 2),
            (try attributed("n1", price: "10.01", source: (0, 2)), 0),
            (try attributed("n2", price: "20.02", source: (1, 2)), 1),
        ]
        for (record, partition) in records {
            try await harness.write(record, partition: partition, at: now - 300_000)
        }
        // The same order's record again, and two records that are no attributed order.
        try await harness.write(adB, partition: 1, at: now - 200_000)
        try await harness.writeRaw("not json", partition: 2, at: now - 200_000)
        try await harness.writeRaw(#"{"attribution_model":"last_click","price":5}"#, partition: 0, at: now - 200_000)

        try await harness.test { client in
            let answer = try await client.get("/api/attribution?top=2")
            #expect(answer.status == .ok)
            let json = answer.jsonObject
            #expect(json["topic"] as? String == "attributed.orders.v1")
            #expect(json["topic_exists"] as? Bool == true)
            #expect(json["orders"] as? Int == 8)
            #expect(json["attributed_orders"] as? Int == 6)
            // Decimal sums: 0.10 + 0.20 is 0.3, not 0.30000000000000004.
            #expect(number(answer.text, "revenue") == "780.68")
            #expect(number(answer.text, "credited_revenue") == "750.65")
            let models = try #require(json["models"] as? [String: [String: Any]])
            #expect(models["last_click"]?["orders"] as? Int == 5)
            #expect(models["last_click"]?["revenue"] as? Double == 700.6)
            #expect(models["view_through"]?["orders"] as? Int == 1)
            #expect(models["view_through"]?["revenue"] as? Double == 50.05)
            #expect(models["none"]?["orders"] as? Int == 2)
            #expect(models["none"]?["revenue"] as? Double == 30.03)
            let ads = try #require(json["ads"] as? [[String: Any]])
            #expect(ads.map { $0["ad_id"] as? String } == ["ad_B", "ad_A"])
            #expect(ads.map { $0["ad_type"] as? String } == ["video", "banner"])
            #expect(ads.map { $0["conversions"] as? Int } == [1, 3])
            #expect(ads.map { $0["view_through"] as? Int } == [0, 1])
            #expect(ads.map { $0["revenue"] as? Double } == [400, 350.35])
            #expect(ads.map { $0["median_time_to_convert_ms"] as? Int } == [10_000, 60_000])
            let others = try #require(json["other_ads"] as? [String: Any])
            #expect(others["ads"] as? Int == 2)
            #expect(others["conversions"] as? Int == 2)
            #expect(answer.text.contains(#""other_ads":{"ads":2,"conversions":2,"view_through":0,"revenue":0.3,"median_time_to_convert_ms":2000}"#))
            #expect(json["ad_count"] as? Int == 4)
            #expect(json["unreadable"] as? Int == 2)
            #expect(json["duplicates"] as? Int == 1)
            #expect(json["scanned"] as? Int == 11)
            #expect(json["range_records"] as? Int == 11)
            #expect(json["scan_limit_reached"] as? Bool == false)
            #expect(json["complete"] as? Bool == true)

            let page = try await client.get("/attribution?top=2")
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("<a href=\"/attribution\" aria-current=\"page\">Attribution</a>"))
            #expect(html.contains("<dt>Orders</dt><dd>8</dd>"))
            #expect(html.contains("<dt>Attributed orders</dt><dd>6 (75 %)</dd>"))
            #expect(html.contains("<dt>Revenue credited</dt><dd>750.65</dd>"))
            #expect(html.contains("<dt>Unreadable records</dt><dd>2</dd>"))
            #expect(html.contains("<tr><td>ad_B</td><td>video</td><td>1</td><td>0</td><td>400.00</td><td>10.0 s</td></tr>"))
            #expect(html.contains("<tr><td>ad_A</td><td>banner</td><td>3</td><td>1</td><td>350.35</td><td>1 min 00 s</td></tr>"))
            #expect(html.contains("<tr><td><em>2 other ads</em></td><td></td><td>2</td><td>0</td><td>0.30</td><td>2.0 s</td></tr>"))
            #expect(html.contains("2 records are not an attributed order and were skipped (unreadable)"))
            #expect(html.contains("1 record repeated an order already counted and was skipped"))

            // Every ad listed: the one whose id is markup shows as text.
            let all = try await client.get("/attribution")
            #expect(all.text.contains("<td>&lt;b&gt;ad_D&lt;/b&gt;</td>"))
            #expect(!all.text.contains("<b>ad_D"))
            #expect(all.text.components(separatedBy: "<script").count == 2)
        }
    }

    @Test func aMissingOrEmptyTopicIsAnEmptyStateThatNamesTheCommandThatWritesIt() async throws {
        let withoutTopic = try ConsoleHarness()
        try await withoutTopic.test { client in
            let answer = try await client.get("/api/attribution")
            #expect(answer.status == .ok)
            #expect(answer.jsonObject["topic_exists"] as? Bool == false)
            #expect(answer.jsonObject["orders"] as? Int == 0)
            let page = try await client.get("/attribution")
            #expect(page.status == .ok)
            #expect(page.text.contains("<code>attributed.orders.v1</code> does not exist"))
            #expect(page.text.contains("<code>flowguard attribute</code> writes it"))
            #expect(!page.text.contains("id=\"totals\""))
        }

        let empty = try ConsoleHarness.withOutputTopic()
        try await empty.test { client in
            let answer = try await client.get("/api/attribution")
            #expect(answer.jsonObject["topic_exists"] as? Bool == true)
            #expect(answer.jsonObject["topic_records"] as? Int == 0)
            #expect(answer.jsonObject["orders"] as? Int == 0)
            let page = try await client.get("/attribution")
            #expect(page.text.contains(">attributed.orders.v1</a> is empty."))
            #expect(page.text.contains("<code>flowguard attribute</code> writes it"))
        }
    }

    @Test func theTimeRangeCountsOnlyTheRecordsWrittenWithinIt() async throws {
        let harness = try ConsoleHarness.withOutputTopic()
        let now = ConsoleCluster.nowMillis()
        try await harness.write(try attributed("old1", price: "1.50", source: (0, 0), ad: ("ad_old", "banner", true, 5000)), partition: 0, at: now - 3 * 3_600_000)
        try await harness.write(try attributed("old2", price: "2.50", source: (0, 1)), partition: 0, at: now - 2 * 3_600_000)
        try await harness.write(try attributed("new1", price: "7.25", source: (0, 2), ad: ("ad_new", "video", true, 5000)), partition: 0, at: now - 600_000)
        try await harness.test { client in
            let hour = try await client.get("/api/attribution?since=1h")
            #expect(hour.jsonObject["orders"] as? Int == 1)
            #expect(hour.jsonObject["scanned"] as? Int == 1)
            #expect(number(hour.text, "revenue") == "7.25")
            #expect((hour.jsonObject["ads"] as? [[String: Any]])?.map { $0["ad_id"] as? String } == ["ad_new"])

            let day = try await client.get("/api/attribution")
            #expect(day.jsonObject["query"] as? [String: String] == ["since": "24h", "top": "20"])
            #expect(day.jsonObject["orders"] as? Int == 3)
            #expect(number(day.text, "revenue") == "11.25")
            #expect(number(day.text, "credited_revenue") == "8.75")

            let minute = try await client.get("/api/attribution?since=1m")
            #expect(minute.jsonObject["orders"] as? Int == 0)
            #expect(minute.jsonObject["range_records"] as? Int == 0)
            let page = try await client.get("/attribution?since=1m")
            #expect(page.text.contains("No attributed order in the last 1m"))
            #expect(page.text.contains("<option value=\"1m\" selected>last 1m</option>"))

            let week = try await client.get("/attribution?since=7d")
            #expect(week.text.contains("<dt>Orders</dt><dd>3</dd>"))
        }
    }

    @Test func theScanLimitReadsTheNewestRecordsOfTheRangeAndSaysSo() async throws {
        let harness = try ConsoleHarness.withOutputTopic { $0.attributionScanLimit = 4 }
        let base = ConsoleCluster.nowMillis() - 600_000
        for index in 0..<10 {
            let record = try attributed("o\(index)", price: "1", source: (0, Int64(index)), ad: ("ad_1", "banner", true, 1000))
            try await harness.write(record, partition: 0, at: base + Int64(index) * 1000)
        }
        try await harness.test { client in
            let answer = try await client.get("/api/attribution")
            #expect(answer.jsonObject["scan_limit_reached"] as? Bool == true)
            #expect(answer.jsonObject["range_records"] as? Int == 10)
            #expect(answer.jsonObject["scanned"] as? Int == 4)
            #expect(answer.jsonObject["orders"] as? Int == 4)
            #expect(answer.jsonObject["covered_from"] as? String == RFC3339.format(millis: base + 6000))
            let page = try await client.get("/attribution")
            #expect(page.text.contains("the range holds 10 records, more than the scan limit of 4"))
            #expect(page.text.contains("so the figures cover only from \(RFC3339.format(millis: base + 6000))"))
        }
    }

    @Test func malformedQueriesAreA400ThatNamesTheParameter() async throws {
        let harness = try ConsoleHarness.withOutputTopic()
        try await harness.test { client in
            let since = try await client.get("/api/attribution?since=soon")
            #expect(since.status == .badRequest)
            #expect(since.jsonObject["detail"] as? String == "since must be a duration such as 1h, 24h or 7d, got 'soon'")
            let top = try await client.get("/api/attribution?top=0")
            #expect(top.status == .badRequest)
            #expect((top.jsonObject["detail"] as? String)?.hasPrefix("top must be a number from 1 to 1000") == true)
            #expect(try await client.get("/api/attribution?since=1e300h").status == .badRequest)
            let page = try await client.get("/attribution?since=-1h")
            #expect(page.status == .badRequest)
            #expect(page.text.contains("since must be a duration"))
        }
    }

    @Test func kafkaAwayIsA503OnThePageAndTheAPI() async throws {
        try await withUnreachableCluster { client in
            let answer = try await client.get("/api/attribution")
            #expect(answer.status == .serviceUnavailable)
            #expect((answer.jsonObject["detail"] as? String)?.contains("did not answer within 1s") == true)
            let page = try await client.get("/attribution")
            #expect(page.status == .serviceUnavailable)
            #expect(page.text.contains("did not answer"))
        }

        // Metadata read once, then every broker down: the figures cannot come from the cache.
        let harness = try ConsoleHarness.withOutputTopic { $0.kafkaTimeout = .seconds(1) }
        try await harness.test { client in
            #expect(try await client.get("/api/attribution").status == .ok)
            for broker in harness.cluster.brokerIDs { try harness.cluster.setBrokerDown(broker) }
            // Past the cache's one-second freshness, so that the next call asks the cluster.
            try await Task.sleep(for: .milliseconds(1100))
            let answer = try await client.get("/api/attribution")
            #expect(answer.status == .serviceUnavailable)
            #expect((answer.jsonObject["detail"] as? String)?.contains("did not answer") == true)
        }
    }

    @Test func anOutputRecordReadsBackAsTheCreditTheJobGaveIt() throws {
        func read(_ record: OutgoingRecord) throws -> AttributedOrder.Credit {
            try AttributedOrder.credit(of: KafkaRecord(topic: record.topic, partition: 0, offset: 0, timestampMillis: nil, key: record.key, value: record.value, headers: []))
        }
        let click = try read(try attributed("x", price: "12.30", source: (2, 41), ad: ("ad_9", "video", true, 4000)))
        #expect(click == AttributedOrder.Credit(
            model: .lastClick, price: JSONNumber(lexeme: "12.30")!,
            ad: .init(id: "ad_9", type: "video", eventType: "click", timeToConvertMillis: 4000), sourcePartition: 2, sourceOffset: 41
        ))
        let view = try read(try attributed("y", price: "1", source: (0, 3), ad: ("ad_2", "banner", false, 500)))
        #expect(view.model == .viewThrough && view.ad?.eventType == "impression")
        let none = try read(try attributed("z", price: "2", source: (1, 7)))
        #expect(none.model == .none && none.ad == nil && none.sourceOffset == 7)

        func malformed(_ value: String) -> AttributionInputError? {
            let record = KafkaRecord(topic: "t", partition: 0, offset: 0, timestampMillis: nil, key: nil, value: Array(value.utf8), headers: [])
            do { _ = try AttributedOrder.credit(of: record) } catch { return error }
            return nil
        }
        #expect(malformed("[]") == AttributionInputError("the value is not a JSON object"))
        #expect(malformed(#"{"attribution_model":"first_click"}"#) == AttributionInputError("field 'attribution_model' is 'first_click', not one of last_click, view_through, none"))
        #expect(malformed(#"{"attribution_model":"none","price":1,"source_partition":0}"#) == AttributionInputError("field 'source_offset' is missing or not an integer"))
        #expect(malformed(#"{"attribution_model":"last_click","price":1,"source_partition":0,"source_offset":1}"#) == AttributionInputError("field 'credited_ad_id' is missing or not a string"))
        #expect(malformed(#"{"attribution_model":"none","price":1,"source_partition":0,"source_offset":1,"credited_ad_id":"a"}"#) == AttributionInputError("field 'credited_ad_id' names an ad for attribution_model none"))
    }

    @Test func theScanLimitIsSharedByWhatEachPartitionHoldsAndFiguresReadWell() {
        let ranges: [Int32: Range<Int64>] = [0: 0..<600, 1: 100..<400, 2: 50..<50]
        let cut = ConsoleModels.newest(90, of: ranges, total: 900)
        #expect(cut == [0: 540..<600, 1: 370..<400, 2: 50..<50])
        #expect(AttributionTally.median([]) == nil)
        #expect(AttributionTally.median([9, 1, 5]) == 5)
        #expect(AttributionTally.median([4, 1, 2, 9]) == 3)
        #expect(AttributionPage.money(Decimal(string: "1234.5")!) == "1234.50")
        #expect(AttributionPage.money(Decimal(string: "0.005")!) == "0.01")
        #expect(AttributionPage.duration(850) == "850 ms")
        #expect(AttributionPage.duration(12_345) == "12.3 s")
        #expect(AttributionPage.duration(245_000) == "4 min 05 s")
        #expect(AttributionPage.duration(12_000_000) == "3 h 20 min")
        #expect(AttributionPage.duration(187_200_000) == "2 d 4 h")
    }
}
