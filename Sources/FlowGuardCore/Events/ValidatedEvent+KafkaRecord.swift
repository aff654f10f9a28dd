/// A record ready to produce: what the gateway writes to Kafka for one accepted event.
public struct OutgoingRecord: Sendable, Equatable {
    public var topic: String
    public var key: [UInt8]
    public var value: [UInt8]
    public var headers: [KafkaHeader]
}

extension ValidatedEvent {
    /// The Kafka record of this event: keyed by user id, the normalised JSON value, and the
    /// `event_type`, `content-type`, `schema` and `request_id` headers.
    public func kafkaRecord(requestID: String, receivedAtMillis: Int64) -> OutgoingRecord {
        OutgoingRecord(
            topic: kind.topic,
            key: key,
            value: value(receivedAtMillis: receivedAtMillis),
            headers: [
                KafkaHeader(key: "event_type", value: kind.rawValue),
                KafkaHeader(key: "content-type", value: "application/json"),
                KafkaHeader(key: "schema", value: kind.topic),
                KafkaHeader(key: "request_id", value: requestID),
            ]
        )
    }
}

extension KafkaProducer {
    /// Produces an outgoing record and waits for the acknowledgement.
    public func produce(_ record: OutgoingRecord) async throws(KafkaError) -> DeliveryReport {
        try await produce(topic: record.topic, key: record.key, value: record.value, headers: record.headers)
    }
}
