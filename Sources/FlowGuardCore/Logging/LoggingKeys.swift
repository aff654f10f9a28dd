import Logging

/// The metadata keys FlowGuard logs with, in one place.
enum LoggingKeys {
    static let kafkaClient = "kafka.client"
    static let kafkaFacility = "kafka.facility"
    static let kafkaQueueLength = "kafka.queue_length"
    static let kafkaBootstrap = "kafka.bootstrap"
    static let topic = "kafka.topic"
    static let partition = "kafka.partition"
    static let offset = "kafka.offset"
    static let errorCode = "error.code"
    static let errorMessage = "error.message"
    static let requestID = "http.request_id"
    static let method = "http.method"
    static let path = "http.path"
    static let status = "http.status"
    static let durationMillis = "http.duration_ms"
    static let eventID = "event.id"
    static let eventType = "event.type"
}
