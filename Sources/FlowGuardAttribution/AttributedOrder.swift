import FlowGuardJSON
import FlowGuardKafka
import FlowGuardSupport

/// One output record: an order and the credit it got.
package struct AttributedOrder: Sendable, Equatable {
    /// The output topic unless `--output` names another (`config/kafka/topics.yaml` declares it).
    package static let defaultTopic = "attributed.orders.v1"

    package var order: AttributableOrder
    package var attribution: Attribution

    package init(order: AttributableOrder, attribution: Attribution) {
        self.order = order
        self.attribution = attribution
    }

    /// The record for the output topic, keyed by `user_id` like the inputs.
    ///
    /// The value is the order's own fields in their order, then `attribution_model`, the credited
    /// event's `credited_event_id`, `credited_event_type`, `credited_ad_id`, `credited_ad_type` and
    /// `credited_timestamp` (all null for `none`), `time_to_convert_ms`, and where the order was read
    /// (`source_partition`, `source_offset`), by which the job recognises its own output when it reads it back.
    package func record(topic: String) -> OutgoingRecord {
        var key: [UInt8] = []
        JSONWriter.appendInteger(order.userID, to: &key)
        return OutgoingRecord(topic: topic, key: key, value: JSONWriter.serialize(.object(value)), headers: [
            KafkaHeader(key: "content-type", value: "application/json"),
            KafkaHeader(key: "schema", value: topic),
        ])
    }

    var value: JSONObject {
        var object = order.fields
        let touch = attribution.touch
        object.entries.append((Field.attributionModel, .string(attribution.model.rawValue)))
        object.entries.append((Field.creditedEventID, touch.map { .string($0.eventID) } ?? .null))
        object.entries.append((Field.creditedEventType, touch.map { .string($0.eventType) } ?? .null))
        object.entries.append((Field.creditedAdID, touch.map { .string($0.adID) } ?? .null))
        object.entries.append((Field.creditedAdType, touch.map { .string($0.adType) } ?? .null))
        object.entries.append((Field.creditedTimestamp, touch.map { .string(RFC3339.format(millis: $0.timestampMillis)) } ?? .null))
        object.entries.append((Field.timeToConvertMillis, attribution.timeToConvertMillis(of: order).map { .number(JSONNumber($0)) } ?? .null))
        object.entries.append((Field.sourcePartition, .number(JSONNumber(Int64(order.partition)))))
        object.entries.append((Field.sourceOffset, .number(JSONNumber(order.offset))))
        return object
    }

    /// Where the order of an output record was read, or nil when the record is not one of the job's.
    package static func source(of record: KafkaRecord) -> (partition: Int32, offset: Int64)? {
        guard let object = try? InputDecoding.object(of: record),
            case .number(let partition)? = object[Field.sourcePartition], let p = partition.integralValue,
            case .number(let offset)? = object[Field.sourceOffset], let o = offset.integralValue
        else { return nil }
        return (Int32(clamping: p), o)
    }
}
