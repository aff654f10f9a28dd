@testable import FlowGuardConsole
@testable import FlowGuardKafka
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Consumer groups on the embedded cluster, which cannot list them: the groups named with --group,
/// their lag after a consumer committed, offset resets; and the seek by timestamp.
@Suite struct ConsoleGroupTests {
    @Test func aGroupsLagFollowsWhatItsConsumerCommittedAndTheListSaysWhyItIsPartial() async throws {
        let harness = try ConsoleHarness { $0.groups = ["etl"] }
        try await harness.produceNumbered(topic: "raw.orders.v1", partition: 0, count: 10)
        try await harness.produceNumbered(topic: "raw.orders.v1", partition: 2, count: 6)
        let consumer = try KafkaConsumer(
            configuration: KafkaConfiguration(bootstrapServers: harness.cluster.bootstrapServers), groupID: "etl", autoCommit: false, logger: testLogger
        )
        try await consumer.commit([TopicPartition(topic: "raw.orders.v1", partition: 0): 4, TopicPartition(topic: "raw.orders.v1", partition: 2): 6])
        await consumer.close()
        try await harness.test { client in
            let groups = try await client.get("/api/groups")
            #expect(groups.status == .ok)
            #expect((groups.jsonObject["partial_reason"] as? String)?.contains("does not answer ListGroups") == true)
            let list = try #require(groups.jsonObject["groups"] as? [[String: Any]])
            let etl = try #require(list.first { $0["id"] as? String == "etl" })
            #expect(etl["total_lag"] as? Int == 6)
            let partitions = try #require(etl["partitions"] as? [[String: Any]])
            #expect(partitions.map { $0["partition"] as? Int } == [0, 2])
            #expect(partitions.map { $0["committed"] as? Int } == [4, 6])
            #expect(partitions.map { $0["lag"] as? Int } == [6, 0])
            #expect(etl["state"] is NSNull)

            let topic = try await client.get("/api/topics/raw.orders.v1")
            let topicGroups = try #require((topic.jsonObject["groups"] as? [String: Any])?["groups"] as? [[String: Any]])
            #expect(topicGroups.map { $0["id"] as? String } == ["etl"])

            let page = try await client.get("/groups?sort=lag")
            #expect(page.text.contains("does not answer ListGroups"))
            #expect(page.text.contains("href=\"/groups/etl\""))
            let detail = try await client.get("/groups/etl")
            #expect(detail.text.contains("<strong id=\"total-lag\">6</strong>"))
        }
    }

    @Test func offsetsResetToEarliestLatestAnOffsetOrATime() async throws {
        let harness = try ConsoleHarness()
        let base: Int64 = 1_767_323_045_000
        try await harness.produceNumbered(topic: "raw.clicks.v1", partition: 4, count: 20) { base + Int64($0) * 1000 }
        try await harness.test { client in
            let token = try #require(try await client.get("/api/session").jsonObject["csrf_token"] as? String)
            let headers: HTTPFields = [HTTPField.Name("X-CSRF-Token")!: token]
            func reset(_ body: String) async throws -> TestResponse {
                try await client.postJSON("/api/groups/resetme/reset", body, headers: headers)
            }
            func committed() async throws -> Int? {
                let group = try await client.get("/api/groups/resetme")
                let partitions = group.jsonObject["partitions"] as? [[String: Any]] ?? []
                return partitions.first { $0["topic"] as? String == "raw.clicks.v1" && $0["partition"] as? Int == 4 }?["committed"] as? Int
            }

            let latest = try await reset(#"{"topic":"raw.clicks.v1","partition":4,"to":"latest"}"#)
            #expect(latest.status == .ok)
            #expect(try await committed() == 20)
            #expect(try await reset(#"{"topic":"raw.clicks.v1","partition":4,"to":"earliest"}"#).status == .ok)
            #expect(try await committed() == 0)
            #expect(try await reset(#"{"topic":"raw.clicks.v1","partition":4,"to":"offset","value":7}"#).status == .ok)
            #expect(try await committed() == 7)
            // 12.5 s after the first record: the first record at or after it is the 14th (offset 13).
            let byTime = try await reset(#"{"topic":"raw.clicks.v1","partition":4,"to":"timestamp","value":"2026-01-02T03:04:17.500Z"}"#)
            #expect(byTime.status == .ok)
            #expect(try await committed() == 13)

            let outOfRange = try await reset(#"{"topic":"raw.clicks.v1","partition":4,"to":"offset","value":99}"#)
            #expect(outOfRange.status == .badRequest)
            let badTarget = try await reset(#"{"topic":"raw.clicks.v1","to":"sideways"}"#)
            #expect(badTarget.status == .badRequest)
            #expect((badTarget.jsonObject["detail"] as? String)?.contains("to must be earliest, latest, timestamp or offset") == true)
            let unknown = try await reset(#"{"topic":"nope","to":"earliest"}"#)
            #expect(unknown.status == .notFound)
        }
    }

    @Test func theBrowserSeeksByTimestamp() async throws {
        let harness = try ConsoleHarness()
        let base: Int64 = 1_767_323_045_000
        try await harness.produceNumbered(topic: "raw.orders.v1", partition: 1, count: 30) { base + Int64($0) * 1000 }
        try await harness.test { client in
            let answer = try await client.get("/api/topics/raw.orders.v1/messages?partition=1&from=timestamp&timestamp=2026-01-02T03:04:25Z&limit=3")
            #expect(answer.status == .ok)
            #expect(answer.records.map { $0["offset"] as? Int } == [20, 21, 22])
            #expect(answer.records.first?["timestamp"] as? String == "2026-01-02T03:04:25.000Z")
            let past = try await client.get("/api/topics/raw.orders.v1/messages?partition=1&from=timestamp&timestamp=\(base + 100_000)")
            #expect(past.records.isEmpty)
        }
    }
}
