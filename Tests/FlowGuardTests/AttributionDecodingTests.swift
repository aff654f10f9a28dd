@testable import FlowGuardAttribution
import FlowGuardJSON
import FlowGuardKafka
import Testing

@Suite("attribute: a click read in place is the click the parsed value gives")
struct AttributionDecodingTests {
    static func record(_ value: String) -> KafkaRecord {
        KafkaRecord(topic: "raw.clicks.v1", partition: 4, offset: 77, timestampMillis: 1_764_860_400_000, key: Array("1001".utf8), value: Array(value.utf8), headers: [])
    }

    static let gatewayClick =
        #"{"event_id":"e-1","user_id":1001,"ad_id":"ad_7","is_click":true,"ad_type":"banner","event_type":"click","timestamp":"2026-12-04T15:00:00.123Z","received_at":"2026-12-04T15:00:00.200Z"}"#

    @Test("what the gateway writes is read in place, and equals the parsed reading", arguments: [
        gatewayClick,
        #"{"event_id":"i-9","user_id":-3,"ad_id":"ad_0","is_click":false,"ad_type":"video","event_type":"impression","timestamp":1764860400000}"#,
        #"{"timestamp":"2026-12-04T15:00:00+05:30","ad_type":"é","ad_id":"x","event_type":"click","is_click":true,"user_id":0,"event_id":"","extra":{"a":[1]}}"#,
    ])
    func inPlace(_ value: String) throws {
        let record = Self.record(value)
        let compact = try #require(InputDecoding.compactTouch(from: record))
        #expect(compact == (try InputDecoding.parsedTouch(from: record)))
    }

    @Test("anything else goes to the parsed reading, which reads it or names what is wrong", arguments: [
        #"{"event_id": "e-1", "user_id": 1001, "ad_id": "ad_7", "is_click": true, "ad_type": "banner", "event_type": "click", "timestamp": "2026-12-04T15:00:00Z"}"#,
        #"{"event_id":"e\"1","user_id":1001,"ad_id":"ad_7","is_click":true,"ad_type":"banner","event_type":"click","timestamp":"2026-12-04T15:00:00Z"}"#,
        #"{"event_id":"e-1","user_id":1001.0,"ad_id":"ad_7","is_click":true,"ad_type":"banner","event_type":"click","timestamp":"2026-12-04T15:00:00Z"}"#,
        #"{"event_id":"e-1","user_id":1.001e3,"ad_id":"ad_7","is_click":true,"ad_type":"banner","event_type":"click","timestamp":1.7e12}"#,
        #"{"event_id":"e-1","user_id":99999999999999999999,"ad_id":"ad_7","is_click":true,"ad_type":"banner","event_type":"click","timestamp":"2026-12-04T15:00:00Z"}"#,
        #"{"event_id":"e-1","user_id":1001,"ad_id":"ad_7","is_click":"yes","ad_type":"banner","event_type":"click","timestamp":"2026-12-04T15:00:00Z"}"#,
        #"{"event_id":"e-1","user_id":1001,"ad_id":"ad_7","ad_type":"banner","event_type":"click","timestamp":"2026-12-04T15:00:00Z"}"#,
        #"{"event_id":"e-1","user_id":1001,"ad_id":"ad_7","is_click":true,"ad_type":"banner","event_type":"click","timestamp":"yesterday"}"#,
        #"{"event_id":"e-1","user_id":"1001","ad_id":"ad_7","is_click":true,"ad_type":"banner","event_type":"click","timestamp":"2026-12-04T15:00:00Z"}"#,
        #"[1,2]"#, "not json", "",
    ])
    func fallback(_ value: String) {
        let record = Self.record(value)
        #expect(InputDecoding.compactTouch(from: record) == nil)
        let parsed = Result { () throws(AttributionInputError) in try InputDecoding.parsedTouch(from: record) }
        let chosen = Result { () throws(AttributionInputError) in try InputDecoding.touch(from: record) }
        #expect(chosen == parsed)
    }
}
