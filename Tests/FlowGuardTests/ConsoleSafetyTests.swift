import Crypto
@testable import FlowGuardConsole
@testable import FlowGuardGateway
@testable import FlowGuardKafka
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Record data is text, never markup; writes need the token, the console's origin, and a console
/// that is not read-only; API keys guard every page and call.
@Suite struct ConsoleSafetyTests {
    /// The hostile inputs of the issue, each with what must never reach the page as markup.
    static let hostile: [(input: String, forbidden: String)] = [
        ("<script>alert(1)</script>", "<script>alert"),
        (#""><img src=x onerror=alert(1)>"#, "<img src=x"),
        ("'><svg onload=alert(1)>", "<svg"),
        ("javascript:alert(1)", "href=\"javascript:"),
        ("\u{1B}[31mred\u{1B}[0m", "\u{1B}"),
        ("nul\u{0}byte", "\u{0}"),
        ("bidi \u{202E}txt.exe", "\u{202E}"),
    ]

    @Test func theEscapingFunctionMakesEveryHostileInputInert() {
        for (input, forbidden) in Self.hostile {
            let html = HTML.text(input)
            #expect(!html.contains(forbidden), "\(input.debugDescription) → \(html.debugDescription)")
            #expect(!html.contains("<") && !html.contains(">") && !html.contains("\"") && !html.contains("'"))
        }
        #expect(HTML.text("a&b") == "a&amp;b")
        #expect(HTML.text("\u{1B}[0m") == "\u{241B}[0m")
        #expect(HTML.text("line\nnext\ttab") == "line\nnext\ttab")
        let long = String(repeating: "x", count: 1_000_000)
        let (cut, wasCut) = HTML.text(long, limit: 2000)
        #expect(wasCut && cut.count == 2000)
    }

    @Test func valuesAreClassifiedAsJSONTextOrBinary() {
        #expect(RecordRendering.classify(Array(#"{"a":1}"#.utf8)) == .json("{\n  \"a\": 1\n}"))
        #expect(RecordRendering.classify(Array("plain".utf8)) == .text("plain"))
        #expect(RecordRendering.classify([0x66, 0x00, 0x6F]) == .binary([0x66, 0x00, 0x6F]))
        #expect(RecordRendering.classify([0xC3, 0x28]) == .binary([0xC3, 0x28]))
        #expect(RecordRendering.classify(nil) == .absent)
        #expect(RecordRendering.hex([0x00, 0x1B, 0xFF]) == "00 1b ff")
    }

    @Test func hostileRecordsRenderAsTextOnEveryPage() async throws {
        let harness = try ConsoleHarness()
        for (input, _) in Self.hostile {
            _ = try await harness.producer.produce(
                topic: "raw.orders.v1", partition: 0, key: Array(input.utf8), value: Array(input.utf8), headers: [KafkaHeader(key: input, value: input)]
            )
        }
        _ = try await harness.producer.produce(topic: "raw.orders.v1", partition: 0, key: [0xFF, 0xFE], value: [0xC3, 0x28, 0x00, 0x3C])
        _ = try await harness.producer.produce(
            topic: "raw.orders.v1", partition: 0, key: nil, value: Array(String(repeating: "<b>big</b>", count: 99_000).utf8)
        )
        try await harness.test { client in
            let page = try await client.get("/topics/raw.orders.v1/messages?partition=0&from=oldest&limit=100")
            #expect(page.status == .ok)
            let csp = try #require(page.headers[HTTPField.Name("Content-Security-Policy")!])
            #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"))
            #expect(page.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            let html = page.text
            for (_, forbidden) in Self.hostile {
                #expect(!html.contains(forbidden), "\(forbidden.debugDescription) reached the page")
            }
            #expect(!html.contains("<b>big"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(html.contains("<span class=\"badge binary\">binary</span>"))
            #expect(html.contains("show all (990000 bytes)"))
            // The only scripts are the console's own file.
            #expect(html.components(separatedBy: "<script").count == 2)
            #expect(html.contains("<script src=\"/assets/console.js\" defer></script>"))

            let record = try await client.get("/topics/raw.orders.v1/records/0/0")
            #expect(record.status == .ok)
            #expect(!record.text.contains("<script>alert"))
            let big = try await client.get("/topics/raw.orders.v1/records/0/8")
            #expect(big.text.contains(String(repeating: "&lt;b&gt;big&lt;/b&gt;", count: 10)))
        }
    }

    @Test func writesNeedTheTokenAndTheConsolesOrigin() async throws {
        let harness = try ConsoleHarness()
        let body = #"{"topic":"raw.clicks.v1","partition":3,"key":"k","headers":{"via":"console"},"value":{"hello":"world"}}"#
        try await harness.test { client in
            let session = try await client.get("/api/session")
            let token = try #require(session.jsonObject["csrf_token"] as? String)

            let withoutToken = try await client.postJSON("/api/produce", body)
            #expect(withoutToken.status == .forbidden)
            #expect((withoutToken.jsonObject["detail"] as? String)?.contains("CSRF token") == true)

            let crossSite = try await client.postJSON(
                "/api/produce", body, headers: [HTTPField.Name("X-CSRF-Token")!: token, .origin: "http://evil.example"]
            )
            #expect(crossSite.status == .forbidden)
            #expect((crossSite.jsonObject["detail"] as? String)?.contains("cross-site") == true)

            let accepted = try await client.postJSON(
                "/api/produce", body, headers: [HTTPField.Name("X-CSRF-Token")!: token, .origin: "http://localhost"]
            )
            #expect(accepted.status == .ok)
            #expect(accepted.jsonObject["partition"] as? Int == 3)
            let offset = try #require(accepted.jsonObject["offset"] as? Int)
            let stored = try #require(await readRecord(bootstrap: harness.cluster.bootstrapServers, topic: "raw.clicks.v1", partition: 3, offset: Int64(offset)))
            #expect(stored.value == Array(#"{"hello":"world"}"#.utf8))
            #expect(stored.key == Array("k".utf8))
            #expect(stored.header("via")?.stringValue == "console")

            // The form path: the token is a form field.
            let form = "csrf=\(token)&topic=raw.clicks.v1&partition=3&key=&headers=&value=form+value&via=kafka"
            let posted = try await client.execute(
                uri: "/produce", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: form)
            )
            #expect(posted.status == .ok)
            #expect(posted.text.contains("Stored at raw.clicks.v1[3]@\(offset + 1)"))
            let forged = try await client.execute(
                uri: "/produce", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrf=wrong&topic=raw.clicks.v1&value=x")
            )
            #expect(forged.status == .forbidden)
        }
    }

    @Test func readOnlyRemovesProduceAndReset() async throws {
        let harness = try ConsoleHarness { $0.readOnly = true }
        try await harness.test { client in
            let token = try #require(try await client.get("/api/session").jsonObject["csrf_token"] as? String)
            let produce = try await client.postJSON("/api/produce", #"{"topic":"raw.clicks.v1","value":"x"}"#, headers: [HTTPField.Name("X-CSRF-Token")!: token])
            #expect(produce.status == .forbidden)
            #expect((produce.jsonObject["detail"] as? String)?.contains("read-only") == true)
            let reset = try await client.postJSON("/api/groups/g/reset", #"{"topic":"raw.clicks.v1","to":"earliest"}"#, headers: [HTTPField.Name("X-CSRF-Token")!: token])
            #expect(reset.status == .forbidden)
            #expect(try await client.get("/produce").status == .forbidden)
            let overview = try await client.get("/")
            #expect(!overview.text.contains("href=\"/produce\""))
        }
    }

    @Test func apiKeysGuardEveryPageAndCall() async throws {
        let key = "console-secret"
        let digest = SHA256.hash(data: Array(key.utf8)).map { String(format: "%02x", $0) }.joined()
        let harness = try ConsoleHarness { $0.apiKeys = try! APIKeyDigests(lines: [digest]) }
        try await harness.test { client in
            #expect(try await client.get("/api/overview").status == .unauthorized)
            #expect(try await client.get("/api/overview", headers: [HTTPField.Name("X-API-Key")!: "wrong"]).status == .unauthorized)
            #expect(try await client.get("/api/overview", headers: [HTTPField.Name("X-API-Key")!: key]).status == .ok)
            #expect(try await client.get("/api/topics", headers: [.authorization: "Bearer \(key)"]).status == .ok)
            let page = try await client.get("/topics")
            #expect(page.status == .seeOther)
            #expect(page.headers[.location] == "/login?next=%2Ftopics")
            #expect(try await client.get("/assets/console.css").status == .ok)

            let refused = try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "key=wrong&next=%2Ftopics")
            )
            #expect(refused.status == .unauthorized)
            let signedIn = try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "key=\(key)&next=%2Ftopics")
            )
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.headers[.location] == "/topics")
            let cookie = try #require(signedIn.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && !cookie.contains(key))
            let session = String(cookie.split(separator: ";")[0])
            #expect(try await client.get("/topics", headers: [.cookie: session]).status == .ok)
        }
    }

    @Test func onlyLoopbackAddressesCountAsPrivate() {
        for host in ["127.0.0.1", "localhost", "::1", "127.0.0.2"] {
            #expect(!ConsoleConfiguration(host: host).listensPublicly, "\(host)")
        }
        for host in ["0.0.0.0", "::", "192.0.2.10", "console.example"] {
            #expect(ConsoleConfiguration(host: host).listensPublicly, "\(host)")
        }
    }

    @Test func queryParametersAreDecodedAndMalformedOnesNamed() throws {
        let fields = try FormFields(encoded: "a=1&b=x+y&c=%3Cz%3E&c=2&empty")
        #expect(fields["b"] == "x y")
        #expect(fields.all("c") == ["<z>", "2"])
        #expect(fields["empty"] == "")
        #expect(throws: ConsoleError.self) { try FormFields(encoded: "a=%G1") }
        #expect(throws: ConsoleError.self) { try FormFields(encoded: "a=%FF") }
        #expect(FormFields.query([("k", "a b&c")]) == "k=a%20b%26c")

        #expect(throws: ConsoleError.badRequest("from must be newest, oldest, offset, timestamp, before or after, got 'later'")) {
            try MessageQuery(parameters: FormFields([("from", "later")]))
        }
        let cursorError = ConsoleError.badRequest("from=after needs cursor, PARTITION:OFFSET pairs joined by commas (0:120,1:98), got '0:1,0:2'")
        #expect(throws: cursorError) { try MessageQuery(parameters: FormFields([("from", "after"), ("cursor", "0:1,0:2")])) }
        let page = try MessageQuery(parameters: FormFields([("from", "before"), ("cursor", "2:40,0:7")]))
        #expect(page.start == .before([0: 7, 2: 40]))
        #expect(page.parameters.contains { $0 == ("cursor", "0:7,2:40") })
        let query = try MessageQuery(parameters: FormFields([("from", "timestamp"), ("timestamp", "2026-01-02T03:04:05Z"), ("partition", "2")]))
        #expect(query.start == .timestamp(1_767_323_045_000))
        #expect(query.partition == 2)
    }
}
