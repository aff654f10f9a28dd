@testable import FlowGuardGateway
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Gateway event endpoints against the embedded cluster")
struct GatewayEventTests {
    @Test("the seed order is acknowledged and stored with the documented key, value and headers")
    func seedOrderIsStored() async throws {
        let harness = try await GatewayHarness()
        let bootstrap = harness.cluster.bootstrapServers
        try await harness.test { client in
            let response = try await client.postJSON("/api/v1/orders", seedOrder, headers: [.xRequestID: "req-42"])
            #expect(response.status == .accepted)
            #expect(response.headers[.xRequestID] == "req-42")
            let body = response.jsonObject
            #expect(body["status"] as? String == "accepted")
            #expect(body["event_id"] as? String == "test_001")
            #expect(body["event_type"] as? String == "order")
            #expect(body["topic"] as? String == "raw.orders.v1")
            let partition = try #require(body["partition"] as? Int)
            let offset = try #require(body["offset"] as? Int)

            let record = try #require(
                await readRecord(bootstrap: bootstrap, topic: "raw.orders.v1", partition: Int32(partition), offset: Int64(offset))
            )
            #expect(record.key == Array("1001".utf8))
            #expect(record.header("event_type")?.stringValue == "order")
            #expect(record.header("content-type")?.stringValue == "application/json")
            #expect(record.header("schema")?.stringValue == "raw.orders.v1")
            #expect(record.header("request_id")?.stringValue == "req-42")
            let value = try #require(record.value.flatMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] })
            #expect(value["event_id"] as? String == "test_001")
            #expect(value["user_id"] as? Int == 1001)
            #expect(value["order_id"] as? String == "ORD-001")
            #expect(value["item_id"] as? Int == 501)
            #expect(value["item_name"] as? String == "Biryani")
            #expect(value["event_type"] as? String == "order")
            #expect(value["timestamp"] as? String == value["received_at"] as? String)
            let text = String(decoding: record.value ?? [], as: UTF8.self)
            #expect(text.contains(#""price":299.99"#))
            #expect((value["received_at"] as? String)?.hasSuffix("Z") == true)
        }
    }

    @Test("the seed click and an impression go to raw.clicks.v1 with their event types")
    func seedClickAndImpressionAreStored() async throws {
        let harness = try await GatewayHarness()
        let bootstrap = harness.cluster.bootstrapServers
        try await harness.test { client in
            let click = try await client.postJSON("/api/v1/clicks", seedClick)
            #expect(click.status == .accepted)
            #expect(click.jsonObject["event_type"] as? String == "click")
            #expect(click.headers[.xRequestID]?.isEmpty == false)

            let impression = try await client.postJSON(
                "/api/v1/clicks/impression",
                #"{"event_id":"imp_1","user_id":1001,"ad_id":"ad_123","ad_type":"banner","timestamp":"2026-11-25T15:30:00.123+05:30"}"#
            )
            #expect(impression.status == .accepted)
            let body = impression.jsonObject
            #expect(body["topic"] as? String == "raw.clicks.v1")
            #expect(body["event_type"] as? String == "impression")
            // Same user: same partition as the click.
            #expect(body["partition"] as? Int == click.jsonObject["partition"] as? Int)

            let record = try #require(
                await readRecord(
                    bootstrap: bootstrap, topic: "raw.clicks.v1",
                    partition: Int32(body["partition"] as? Int ?? -1), offset: Int64(body["offset"] as? Int ?? -1)
                )
            )
            let value = try #require(record.value.flatMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] })
            #expect(value["event_type"] as? String == "impression")
            #expect(value["is_click"] as? Bool == false)
            #expect(value["timestamp"] as? String == "2026-11-25T10:00:00.123Z")
            #expect(record.header("event_type")?.stringValue == "impression")
        }
    }

    @Test("invalid events get FastAPI's 422 listing every invalid field, and none of them reaches Kafka")
    func invalidEventsAreRejectedAndNeverProduced() async throws {
        let harness = try await GatewayHarness()
        let bootstrap = harness.cluster.bootstrapServers
        let cases: [(path: String, body: String, locs: [String])] = [
            ("/api/v1/orders", #"{"event_id":"","user_id":"1001","order_id":"o","item_id":1.5,"item_name":"x","price":-1}"#, ["event_id", "user_id", "item_id", "price"]),
            ("/api/v1/orders", #"{"event_id":"e","user_id":1,"order_id":"o","item_id":1,"item_name":"x","price":1e400}"#, ["price"]),
            ("/api/v1/orders", #"{"event_id":"e","user_id":0,"order_id":"o","item_id":1,"item_name":"x"}"#, ["user_id", "price"]),
            ("/api/v1/orders", #"{"event_id":"e","user_id":1,"order_id":"o","item_id":1,"item_name":"x","price":1,"pricee":2}"#, ["pricee"]),
            ("/api/v1/clicks", #"{"event_id":"e","user_id":1,"ad_id":"a","is_click":"true","ad_type":"banner"}"#, ["is_click"]),
            ("/api/v1/clicks", #"{"event_id":"e","user_id":1,"ad_id":"a","ad_type":"banner"}"#, ["is_click"]),
            ("/api/v1/clicks/impression", #"{"event_id":"e","user_id":1,"ad_id":"a","is_click":true,"ad_type":"banner"}"#, ["is_click"]),
            ("/api/v1/clicks", #"{"event_id":"e","user_id":1,"ad_id":"a","is_click":true,"ad_type":"banner","timestamp":"yesterday"}"#, ["timestamp"]),
            ("/api/v1/orders", #"[1,2,3]"#, []),
        ]
        try await harness.test { client in
            for testCase in cases {
                let response = try await client.postJSON(testCase.path, testCase.body)
                #expect(response.status == .unprocessableContent, "\(testCase.body)")
                let detail = try #require(response.jsonObject["detail"] as? [[String: Any]], "\(testCase.body)")
                let locs = detail.compactMap { ($0["loc"] as? [Any])?.last as? String }
                for loc in testCase.locs {
                    #expect(locs.contains(loc), "\(testCase.body) should name \(loc), got \(locs)")
                }
                #expect(detail.allSatisfy { $0["msg"] is String && $0["type"] is String && ($0["loc"] as? [Any])?.first as? String == "body" })
            }
            #expect(try await storedRecordCount(bootstrap: bootstrap, topic: "raw.orders.v1") == 0)
            #expect(try await storedRecordCount(bootstrap: bootstrap, topic: "raw.clicks.v1") == 0)
        }
    }

    @Test("malformed, truncated and hostile bodies get 400 with the byte offset, never a 5xx")
    func malformedBodiesGet400() async throws {
        let harness = try await GatewayHarness()
        let bootstrap = harness.cluster.bootstrapServers
        let deep = String(repeating: "[", count: 10_000)
        let bodies = [
            #"{"event_id":"e","user_id":1"#,  // truncated
            #"{"event_id": "e",}"#,
            "not json",
            deep,
            #"{"event_id":"e","event_id":"f","user_id":1,"order_id":"o","item_id":1,"item_name":"x","price":1}"#,
            "{\"event_id\":\"\u{0}\"}",
        ]
        try await harness.test { client in
            for body in bodies {
                let response = try await client.postJSON("/api/v1/orders", body)
                #expect(response.status == .badRequest, "\(body.prefix(40))")
                #expect(response.jsonObject["byte_offset"] is Int)
                #expect((response.jsonObject["detail"] as? String)?.contains("byte") == true)
            }
            let invalidUTF8 = try await client.execute(
                uri: "/api/v1/orders", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(bytes: [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D])
            )
            #expect(invalidUTF8.status == .badRequest)
            #expect(invalidUTF8.jsonObject["byte_offset"] as? Int == 2)
            #expect(try await storedRecordCount(bootstrap: bootstrap, topic: "raw.orders.v1") == 0)
        }
    }

    @Test("a content type other than JSON is 415, an oversize body 413; a missing content type is read as JSON")
    func contentTypeAndSizeLimits() async throws {
        let harness = try await GatewayHarness(configuration: GatewayConfiguration(maxBodyBytes: 1024, accessLog: false))
        try await harness.test { client in
            let text = try await client.postJSON("/api/v1/orders", seedOrder, contentType: "text/plain")
            #expect(text.status == .unsupportedMediaType)
            #expect((text.jsonObject["detail"] as? String)?.contains("application/json") == true)
            let form = try await client.postJSON("/api/v1/clicks", seedClick, contentType: "application/x-www-form-urlencoded")
            #expect(form.status == .unsupportedMediaType)
            let charset = try await client.postJSON("/api/v1/orders", seedOrder, contentType: "application/json; charset=utf-8")
            #expect(charset.status == .accepted)
            let none = try await client.postJSON("/api/v1/clicks", seedClick, contentType: nil)
            #expect(none.status == .accepted)
            let huge = #"{"event_id":"e","user_id":1,"order_id":"o","item_id":1,"price":1,"item_name":""# + String(repeating: "a", count: 5000) + #""}"#
            let tooLarge = try await client.postJSON("/api/v1/orders", huge)
            #expect(tooLarge.status == .contentTooLarge)
            #expect((tooLarge.jsonObject["detail"] as? String)?.contains("1024") == true)
        }
    }

    @Test("the media type is compared without case, parameters or surrounding blanks, and nothing else passes")
    func mediaTypeComparison() {
        for accepted in ["application/json", "Application/JSON", " application/json ; charset=utf-8", "application/json;charset=UTF-8", "\tapplication/json"] {
            #expect(FlowGuardGateway.RequestBody.isMediaType(accepted, "application/json"), "\(accepted)")
        }
        for refused in ["", ";", "application/jsonx", "application/json-seq", "application/jso", "text/plain", "application/ json", "application/x-ndjson"] {
            #expect(!FlowGuardGateway.RequestBody.isMediaType(refused, "application/json"), "\(refused)")
        }
        #expect(FlowGuardGateway.RequestBody.isMediaType("Application/X-NDJSON; charset=utf-8", "application/x-ndjson"))
    }

    @Test("unknown paths are 404 and wrong methods 405, both as JSON")
    func notFoundAndMethodNotAllowedAreJSON() async throws {
        let harness = try await GatewayHarness()
        try await harness.test { client in
            let missing = try await client.execute(uri: "/api/v1/nope", method: .get)
            #expect(missing.status == .notFound)
            #expect(missing.jsonObject["detail"] as? String == "Not Found")
            #expect(missing.headers[.contentType] == "application/json")
            let wrongMethod = try await client.execute(uri: "/api/v1/orders", method: .get)
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.jsonObject["detail"] as? String == "Method Not Allowed")
            #expect(wrongMethod.headers[.allow] == "POST")
            #expect(wrongMethod.headers[.xRequestID]?.isEmpty == false)
        }
    }

    @Test("every request example of the OpenAPI document is accepted")
    func openAPIExamplesAreAccepted() async throws {
        let harness = try await GatewayHarness()
        try await harness.test { client in
            let document = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(document.status == .ok)
            let object = try #require(document.jsonObject["paths"] as? [String: Any])
            var sent = 0
            for (path, item) in object {
                guard let post = (item as? [String: Any])?["post"] as? [String: Any],
                    let content = (post["requestBody"] as? [String: Any])?["content"] as? [String: Any]
                else { continue }
                for (contentType, media) in content {
                    guard let examples = (media as? [String: Any])?["examples"] as? [String: Any] else { continue }
                    for (name, example) in examples {
                        let value = try #require((example as? [String: Any])?["value"])
                        let body: String
                        if let text = value as? String {
                            body = text
                        } else {
                            body = String(decoding: try JSONSerialization.data(withJSONObject: value), as: UTF8.self)
                        }
                        let response = try await client.postJSON(path, body, contentType: contentType)
                        if path.hasSuffix("/batch") {
                            #expect(response.status == .ok, "example \(name) of \(path): \(response.text)")
                            let summary = response.jsonObject["summary"] as? [String: Any]
                            #expect(summary?["rejected"] as? Int == 0 && summary?["failed"] as? Int == 0, "example \(name) of \(path): \(response.text)")
                        } else {
                            #expect(response.status == .accepted, "example \(name) of \(path): \(response.text)")
                        }
                        sent += 1
                    }
                }
            }
            #expect(sent >= 12)
        }
    }
}

extension HTTPField.Name {
    static let allow = HTTPField.Name("Allow")!
}
