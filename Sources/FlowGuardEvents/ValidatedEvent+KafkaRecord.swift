import FlowGuardKafka

extension ValidatedEvent {
    /// The Kafka record of this event: keyed by user id, the normalised JSON value, and the
    /// `event_type`, `content-type`, `schema` and `request_id` headers.
    public func kafkaRecord(requestID: String, receivedAtMillis: Int64) -> OutgoingRecord {
        kafkaRecord(requestID: requestID, value: value(receivedAtMillis: receivedAtMillis))
    }

    /// The Kafka record of this event with its value already encoded.
    public func kafkaRecord(requestID: String, value: [UInt8]) -> OutgoingRecord {
        kafkaRecord(requestID: Array(requestID.utf8), value: value)
    }

    /// The Kafka record of this event with its value already encoded and its request id in UTF-8.
    package func kafkaRecord(requestID: [UInt8], value: [UInt8]) -> OutgoingRecord {
        var headers: [KafkaHeader] = []
        headers.reserveCapacity(4)
        headers.append(contentsOf: kind.constantHeaders)
        headers.append(KafkaHeader(key: "request_id", value: requestID))
        return OutgoingRecord(topic: kind.topic, key: key, value: value, headers: headers)
    }
}

extension EventKind {
    /// The headers every record of this kind carries, built once.
    var constantHeaders: [KafkaHeader] {
        switch self {
        case .order: return Self.orderHeaders
        case .click: return Self.clickHeaders
        case .impression: return Self.impressionHeaders
        }
    }

    private static let orderHeaders = EventKind.order.makeConstantHeaders()
    private static let clickHeaders = EventKind.click.makeConstantHeaders()
    private static let impressionHeaders = EventKind.impression.makeConstantHeaders()

    private func makeConstantHeaders() -> [KafkaHeader] {
        [
            KafkaHeader(key: EventSchema.eventTypeKey, value: rawValue),
            KafkaHeader(key: "content-type", value: "application/json"),
            KafkaHeader(key: "schema", value: topic),
        ]
    }
}

extension KafkaProducer {
    /// Produces an outgoing record and waits for the acknowledgement.
    public func produce(_ record: OutgoingRecord) async throws(KafkaError) -> DeliveryReport {
        try await produce(topic: record.topic, key: record.key, value: record.value, headers: record.headers)
    }
}
