import FlowGuardJSON
import FlowGuardKafka
import FlowGuardSupport

/// Reads the values the gateway writes (the fields of `EventSchema`, then `event_type`, `timestamp`
/// and `received_at`) back into what the model needs.
package enum InputDecoding {
    /// The touch in a record of the clicks topic.
    /// - Throws: ``AttributionInputError`` naming the field that is missing or malformed.
    package static func touch(from record: KafkaRecord) throws(AttributionInputError) -> AdTouch {
        if let touch = compactTouch(from: record) { return touch }
        return try parsedTouch(from: record)
    }

    /// ``touch(from:)`` through the value's parsed tree: any form of JSON, and the errors.
    static func parsedTouch(from record: KafkaRecord) throws(AttributionInputError) -> AdTouch {
        let object = try object(of: record)
        return AdTouch(
            isClick: try bool("is_click", in: object),
            eventID: try string("event_id", in: object),
            eventType: try string("event_type", in: object),
            userID: try integer("user_id", in: object),
            adID: try string("ad_id", in: object),
            adType: try string("ad_type", in: object),
            timestampMillis: try timestamp(in: object),
            partition: record.partition,
            offset: record.offset
        )
    }

    /// The order in a record of the orders topic.
    /// - Throws: ``AttributionInputError`` naming the field that is missing or malformed.
    package static func order(from record: KafkaRecord) throws(AttributionInputError) -> AttributableOrder {
        let object = try object(of: record)
        let priceField = AttributedOrder.Field.price
        guard case .number(let price)? = object[priceField] else { throw AttributionInputError("field '\(priceField)' is missing or not a number") }
        return AttributableOrder(
            eventID: try string("event_id", in: object),
            userID: try integer("user_id", in: object),
            timestampMillis: try timestamp(in: object),
            price: price,
            fields: object,
            partition: record.partition,
            offset: record.offset
        )
    }

    static func object(of record: KafkaRecord) throws(AttributionInputError) -> JSONObject {
        guard let value = record.value else { throw AttributionInputError("the record has no value") }
        guard case .object(let object)? = try? JSONParser.parse(value) else {
            throw AttributionInputError("the value is not a JSON object")
        }
        return object
    }

    static func string(_ key: String, in object: JSONObject) throws(AttributionInputError) -> String {
        guard case .string(let value)? = object[key] else { throw AttributionInputError("field '\(key)' is missing or not a string") }
        return value
    }

    static func integer(_ key: String, in object: JSONObject) throws(AttributionInputError) -> Int64 {
        guard case .number(let number)? = object[key], let value = number.integralValue else {
            throw AttributionInputError("field '\(key)' is missing or not an integer")
        }
        return value
    }

    static func bool(_ key: String, in object: JSONObject) throws(AttributionInputError) -> Bool {
        guard case .bool(let value)? = object[key] else { throw AttributionInputError("field '\(key)' is missing or not a boolean") }
        return value
    }

    /// `timestamp`, which the gateway always writes as RFC 3339 in UTC; epoch milliseconds are read too.
    static func timestamp(in object: JSONObject) throws(AttributionInputError) -> Int64 {
        switch object["timestamp"] {
        case .string(let text)?:
            guard let millis = try? RFC3339.parse(text) else { throw AttributionInputError("field 'timestamp' is not an RFC 3339 date-time") }
            return millis
        case .number(let number)?:
            guard let millis = number.integralValue else { throw AttributionInputError("field 'timestamp' is not whole milliseconds") }
            return millis
        default:
            throw AttributionInputError("field 'timestamp' is missing")
        }
    }
}
