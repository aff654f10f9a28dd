@testable import FlowGuardCLI
@testable import FlowGuardConsole
@testable import FlowGuardKafka
import FlowGuardJSON
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The console's JSON API against an embedded cluster: the figures equal what was produced, seeks
/// land where they should, filters select what they say, errors are 4xx/503 with a detail.
@Suite struct ConsoleAPITests {
    @Test func topicWatermarksAndCountsEqualWhatWasProduced() async throws {
        let harness = try ConsoleHarness()
        try await harness.produceNumbered(topic: "raw.orders.v1", partition: 0, count: 7)
        try await harness.produceNumbered(topic: "raw.orders.v1", partition: 2, count: 4)
        try await harness.test { client in
            let topics = try await client.get("/api/topics")
            #expect(topics.status == .ok)
            let list = try #require(topics.jsonObject["topics"] as? [[String: Any]])
            let orders = try #require(list.first { $0["name"] as? String == "raw.orders.v1" })
            #expect(orders["messages"] as? Int == 11)
            #expect(orders["high"] as? Int == 11)
            #expect(orders["low"] as? Int == 0)
            #expect(orders["partitions"] as? Int == 3)

            let detail = try await client.get("/api/topics/raw.orders.v1")
            let partitions = try #require(detail.jsonObject["partition_details"] as? [[String: Any]])
            #expect(partitions.map { $0["high"] as? Int } == [7, 0, 4])
            #expect(partitions.map { $0["messages"] as? Int } == [7, 0, 4])
            #expect(partitions.allSatisfy { ($0["leader"] as? Int ?? -1) >= 1 })

            let overview = try await client.get("/api/overview")
            #expect(overview.status == .ok)
            #expect(overview.jsonObject["messages"] as? Int == 11)
            #expect(overview.jsonObject["partitions"] as? Int == 9)
            #expect(overview.jsonObject["leaderless_partitions"] as? Int == 0)
            let brokers = try #require(overview.jsonObject["brokers"] as? [[String: Any]])
            #expect(brokers.count == 3)
            #expect(brokers.allSatisfy { $0["reachable"] as? Bool == true })
        }
    }

    @Test func seeksByOffsetNewestAndOldestLandWhereTheyShould() async throws {
        let harness = try ConsoleHarness()
        try await harness.produceNumbered(topic: "raw.clicks.v1", partition: 1, count: 100)
        try await harness.test { client in
            let atOffset = try await client.get("/api/topics/raw.clicks.v1/messages?partition=1&from=offset&offset=40&limit=5")
            #expect(atOffset.status == .ok)
            #expect(atOffset.records.map { $0["offset"] as? Int } == [40, 41, 42, 43, 44])
            #expect(atOffset.records.map { ($0["value"] as? [String: Any])?["n"] as? Int } == [40, 41, 42, 43, 44])
            // Only the five records were read: the seek did not scan from the start.
            #expect(atOffset.jsonObject["scanned"] as? Int == 5)

            let newest = try await client.get("/api/topics/raw.clicks.v1/messages?partition=1&limit=3")
            #expect(newest.records.map { $0["offset"] as? Int } == [99, 98, 97])
            #expect(newest.jsonObject["scanned"] as? Int == 3)

            let oldest = try await client.get("/api/topics/raw.clicks.v1/messages?partition=1&from=oldest&limit=2")
            #expect(oldest.records.map { $0["offset"] as? Int } == [0, 1])

            let allPartitions = try await client.get("/api/topics/raw.clicks.v1/messages?limit=4")
            #expect(allPartitions.records.count == 4)
            #expect(allPartitions.records.allSatisfy { $0["partition"] as? Int == 1 })
        }
    }

    @Test func pagingOlderAndNewerShowsEveryRecordOnceWithOneOrAllPartitions() async throws {
        let harness = try ConsoleHarness()
        // Three partitions of different lengths, their records' times interleaved.
        let base: Int64 = 1_796_396_400_000
        for (partition, count) in [(Int32(0), 23), (2, 17), (5, 9)] {
            try await harness.produceNumbered(topic: "raw.clicks.v1", partition: partition, count: count) { base + Int64($0 * 10) + Int64(partition) }
        }
        let all = Set([(0, 23), (2, 17), (5, 9)].flatMap { partition, count in (0..<count).map { PagedRecord(partition: partition, offset: $0) } })
        try await harness.test { client in
            // All partitions, from the newest back: 49 records in pages of 10, each once, newest first.
            let back = try await walk(client, "/api/topics/raw.clicks.v1/messages?limit=10", "older")
            #expect(back.map(\.count) == [10, 10, 10, 10, 9])
            #expect(seen(back).count == 49 && Set(seen(back)) == all)
            #expect(times(back) == times(back).sorted(by: >))
            // From the oldest on: the same records, oldest first.
            let forward = try await walk(client, "/api/topics/raw.clicks.v1/messages?from=oldest&limit=10", "newer")
            #expect(seen(forward).count == 49 && Set(seen(forward)) == all)
            #expect(times(forward) == times(forward).sorted())
            // With a filter, the even records only, each once.
            let even = try await walk(client, "/api/topics/raw.clicks.v1/messages?limit=4&field=kind%3Deven", "older")
            #expect(seen(even).count == 12 + 9 + 5 && Set(seen(even)) == Set(all.filter { $0.offset % 2 == 0 }))
            // One partition: the same paging.
            let one = try await walk(client, "/api/topics/raw.clicks.v1/messages?partition=2&limit=5", "older")
            #expect(seen(one).map(\.offset) == Array((0..<17).reversed()))
            // The page shows the links; a malformed cursor is a 400 that names it.
            let page = try await client.get("/topics/raw.clicks.v1/messages?limit=10")
            #expect(page.text.contains("← Older") && !page.text.contains("Newer →"))
            let bad = try await client.get("/api/topics/raw.clicks.v1/messages?from=before&cursor=0-3")
            #expect(bad.status == .badRequest && bad.text.contains("cursor"))
        }
    }

    @Test func aPageTakesEachPartitionAsOneRunOfOffsetsWhenProducerTimesGoBack() {
        func record(_ partition: Int32, _ offset: Int64, at millis: Int64) -> KafkaRecord {
            KafkaRecord(topic: "t", partition: partition, offset: offset, timestampMillis: millis, key: nil, value: nil, headers: [])
        }
        // Partition 0's newer record carries the older time, and so does partition 1's.
        let matches = [record(0, 4, at: 100), record(0, 5, at: 10), record(1, 7, at: 90), record(1, 8, at: 20)]
        let page = MessageBrowser.select(matches, limit: 2, descending: true)
        // Sorting by time alone would show 0@4 and 1@7, leaving 0@5 and 1@8 above them in their
        // partitions, where no next page could resume; taken from each partition's newest end, both
        // shown records are partition 1's newest run and partition 0 resumes whole below.
        #expect(page.shown.map { "\($0.partition)@\($0.offset)" } == ["1@8", "1@7"])
        #expect(Set(page.unshown.map { "\($0.partition)@\($0.offset)" }) == ["0@4", "0@5"])
        let forward = MessageBrowser.select(matches, limit: 3, descending: false)
        #expect(forward.shown.map { "\($0.partition)@\($0.offset)" } == ["1@7", "1@8", "0@4"])
    }

    @Test func filtersSelectByKeyHeaderFieldAndContentAndCountWhatTheyScanned() async throws {
        let harness = try ConsoleHarness { $0.scanLimit = 1000 }
        try await harness.produceNumbered(topic: "raw.orders.v1", partition: 0, count: 30)
        try await harness.test { client in
            let byKey = try await client.get("/api/topics/raw.orders.v1/messages?partition=0&from=oldest&key=k7")
            #expect(byKey.records.map { $0["offset"] as? Int } == [7])
            #expect(byKey.jsonObject["scanned"] as? Int == 30)

            let byHeader = try await client.get("/api/topics/raw.orders.v1/messages?partition=0&from=oldest&header=h%3D2&limit=3")
            #expect(byHeader.records.map { $0["offset"] as? Int } == [2, 5, 8])

            let byField = try await client.get("/api/topics/raw.orders.v1/messages?partition=0&from=oldest&field=kind%3Dodd&field=n%3D9")
            #expect(byField.records.map { $0["offset"] as? Int } == [9])

            let contains = try await client.get("/api/topics/raw.orders.v1/messages?partition=0&contains=%22n%22%3A2&limit=50")
            // "n":2 and "n":20…29, newest first.
            #expect(contains.records.map { $0["offset"] as? Int } == [29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 2])
        }
    }

    @Test func aFilterScanStopsAtTheScanLimitAndSaysSo() async throws {
        let harness = try ConsoleHarness { $0.scanLimit = 10 }
        try await harness.produceNumbered(topic: "raw.orders.v1", partition: 0, count: 40)
        try await harness.test { client in
            let answer = try await client.get("/api/topics/raw.orders.v1/messages?partition=0&from=oldest&key=k35")
            #expect(answer.records.isEmpty)
            #expect(answer.jsonObject["scanned"] as? Int == 10)
            #expect(answer.jsonObject["scan_limit_reached"] as? Bool == true)
            let page = try await client.get("/topics/raw.orders.v1/messages?partition=0&from=oldest&key=k35")
            #expect(page.text.contains("the scan stopped at the scan limit of 10 records"))
        }
    }

    @Test func exportIsTailsJSONFormatLineForLine() async throws {
        let harness = try ConsoleHarness()
        _ = try await harness.producer.produce(
            topic: "raw.orders.v1", partition: 1, key: Array("o-1".utf8), value: Array(#"{"order_id":"ORD-1","price":299.99}"#.utf8),
            headers: [KafkaHeader(key: "source", value: "test")]
        )
        _ = try await harness.producer.produce(topic: "raw.orders.v1", partition: 1, key: nil, value: Array("not json".utf8))
        try await harness.test { client in
            let export = try await client.get("/api/topics/raw.orders.v1/messages.ndjson?partition=1&from=oldest")
            #expect(export.status == .ok)
            #expect(export.headers[.contentType] == "application/x-ndjson")
            let lines = export.text.split(separator: "\n").map(String.init)
            #expect(lines.count == 2)
            let printer = RecordPrinter(format: .json, colour: false)
            for (index, line) in lines.enumerated() {
                let record = try #require(await readRecord(bootstrap: harness.cluster.bootstrapServers, topic: "raw.orders.v1", partition: 1, offset: Int64(index)))
                #expect(line == printer.line(for: record))
            }
        }
    }

    @Test func errorsAreClearMessagesWithTheirStatusNeverA500() async throws {
        let harness = try ConsoleHarness()
        try await harness.produceNumbered(topic: "raw.orders.v1", partition: 0, count: 5)
        try await harness.test { client in
            let unknown = try await client.get("/api/topics/no.such.topic/messages")
            #expect(unknown.status == .notFound)
            #expect((unknown.jsonObject["detail"] as? String)?.contains("topic 'no.such.topic' does not exist") == true)

            let outOfRange = try await client.get("/api/topics/raw.orders.v1/messages?partition=0&from=offset&offset=99")
            #expect(outOfRange.status == .badRequest)
            #expect((outOfRange.jsonObject["detail"] as? String)?.contains("offset 99 is out of range") == true)

            let badLimit = try await client.get("/api/topics/raw.orders.v1/messages?limit=abc")
            #expect(badLimit.status == .badRequest)
            #expect((badLimit.jsonObject["detail"] as? String)?.contains("limit must be a number") == true)

            let badPartition = try await client.get("/api/topics/raw.orders.v1/messages?partition=7")
            #expect(badPartition.status == .notFound)

            let badEscape = try await client.get("/api/topics/raw.orders.v1/messages?key=%zz")
            #expect(badEscape.status == .badRequest)

            let noRecord = try await client.get("/api/topics/raw.orders.v1/records/0/42")
            #expect(noRecord.status == .notFound)

            let page = try await client.get("/topics/raw.orders.v1/messages?partition=0&from=offset&offset=99")
            #expect(page.status == .badRequest)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.text.contains("offset 99 is out of range"))

            let nowhere = try await client.get("/no/such/page")
            #expect(nowhere.status == .notFound)
        }
    }

    @Test func anUnreachableClusterIsA503AndCachedMetadataIsShownWithItsAge() async throws {
        try await withUnreachableCluster { client in
            let answer = try await client.get("/api/overview")
            #expect(answer.status == .serviceUnavailable)
            #expect((answer.jsonObject["detail"] as? String)?.contains("did not answer within 1s") == true)
            let page = try await client.get("/topics")
            #expect(page.status == .serviceUnavailable)
            #expect(page.text.contains("did not answer"))
        }

        let harness = try ConsoleHarness { $0.kafkaTimeout = .seconds(1) }
        try await harness.test { client in
            #expect(try await client.get("/api/topics").status == .ok)
            for broker in harness.cluster.brokerIDs { try harness.cluster.setBrokerDown(broker) }
            // Past the cache's one-second freshness, so that the next call asks the cluster.
            try await Task.sleep(for: .milliseconds(1100))
            let stale = try await client.get("/api/topics")
            #expect(stale.status == .ok)
            let metadata = try #require(stale.jsonObject["metadata"] as? [String: Any])
            #expect(metadata["stale"] as? Bool == true)
            #expect((metadata["age_seconds"] as? Int ?? -1) >= 1)
            let page = try await client.get("/")
            #expect(page.text.contains("Showing the metadata read"))
            #expect(page.text.contains("unreachable"))
        }
    }

    @Test func aBrokerThatGoesDownShowsOnTheOverview() async throws {
        let harness = try ConsoleHarness { $0.kafkaTimeout = .seconds(2) }
        try await harness.test { client in
            let before = try await client.get("/api/overview")
            #expect((before.jsonObject["brokers"] as? [[String: Any]])?.allSatisfy { $0["reachable"] as? Bool == true } == true)
            try harness.cluster.setBrokerDown(2)
            // Past the cache's one-second freshness, so that the next call reads the cluster again.
            try await Task.sleep(for: .milliseconds(1100))
            let after = try await client.get("/api/overview")
            let brokers = try #require(after.jsonObject["brokers"] as? [[String: Any]])
            #expect(brokers.map { $0["reachable"] as? Bool } == [true, false, true])
            let page = try await client.get("/")
            #expect(page.text.contains("2 of 3 reachable"))
        }
    }

    @Test func gatewayURLsSplitIntoHostAndPort() {
        #expect(Console.hostAndPort("http://localhost:8000").map { "\($0.0) \($0.1)" } == "localhost 8000")
        #expect(Console.hostAndPort("https://gw.example/health").map { "\($0.0) \($0.1)" } == "gw.example 443")
        #expect(Console.hostAndPort("http://[::1]:8001").map { "\($0.0) \($0.1)" } == "::1 8001")
        #expect(Console.hostAndPort("ftp://x") == nil)
        #expect(Console.hostAndPort("http://host:port") == nil)
    }

    @Test func theOpenAPIDocumentListsEveryAPIPath() async throws {
        let harness = try ConsoleHarness()
        try await harness.test { client in
            let answer = try await client.get("/api/openapi.json")
            #expect(answer.status == .ok)
            let paths = try #require(answer.jsonObject["paths"] as? [String: Any])
            for path in [
                "/api/overview", "/api/topics", "/api/topics/{topic}", "/api/topics/{topic}/messages", "/api/topics/{topic}/messages.ndjson",
                "/api/topics/{topic}/live", "/api/groups", "/api/groups/{group}/reset", "/api/attribution", "/api/produce", "/api/session",
            ] {
                #expect(paths[path] != nil, "missing \(path)")
            }
        }
    }
}

/// A record met while paging, by its place.
private struct PagedRecord: Hashable {
    var partition: Int
    var offset: Int
}

/// Follows `link` ("older" or "newer") of the message API from `first` to its end; each page's records.
private func walk(_ client: some TestClientProtocol, _ first: String, _ link: String) async throws -> [[[String: Any]]] {
    var pages: [[[String: Any]]] = []
    var path: String? = first
    while let next = path, pages.count < 100 {
        let answer = try await client.get(next)
        #expect(answer.status == .ok, "\(next): \(answer.text)")
        pages.append(answer.records)
        path = (answer.jsonObject[link] as? [String: String]).map { parameters in
            "/api/topics/raw.clicks.v1/messages?" + parameters.sorted { $0.key < $1.key }.map {
                "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
            }.joined(separator: "&")
        }
    }
    return pages
}

private func seen(_ pages: [[[String: Any]]]) -> [PagedRecord] {
    pages.flatMap { $0.map { PagedRecord(partition: $0["partition"] as! Int, offset: $0["offset"] as! Int) } }
}

private func times(_ pages: [[[String: Any]]]) -> [String] {
    pages.flatMap { $0.map { $0["timestamp"] as! String } }
}
