import Logging

/// The metadata keys FlowGuard logs with, in one place.
package enum LoggingKeys {
    package static let kafkaClient = "kafka.client"
    package static let kafkaFacility = "kafka.facility"
    package static let kafkaQueueLength = "kafka.queue_length"
    package static let kafkaBootstrap = "kafka.bootstrap"
    package static let topic = "kafka.topic"
    package static let partition = "kafka.partition"
    package static let offset = "kafka.offset"
    package static let errorCode = "error.code"
    package static let errorMessage = "error.message"
    package static let requestID = "http.request_id"
    package static let method = "http.method"
    package static let path = "http.path"
    package static let status = "http.status"
    package static let durationMillis = "http.duration_ms"
    package static let eventID = "event.id"
    static let eventType = "event.type"
    package static let lakeObject = "lake.object"
    package static let lakeSegment = "lake.segment"
}

extension LoggingKeys {
    package static let attributionGroup = "attribution.group"
    package static let attributionLayout = "attribution.layout"
    package static let attributionPartitions = "attribution.partitions"
    package static let attributionClickPartitions = "attribution.click_partitions"
    package static let attributionRecord = "attribution.record"
    package static let attributionAlreadyCredited = "attribution.already_credited"
    package static let attributionTransactions = "attribution.transactions"
}
