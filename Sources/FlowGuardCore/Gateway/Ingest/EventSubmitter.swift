import Foundation
import Logging

/// Takes one valid event to Kafka: availability, duplicate and admission checks, produce, wait for
/// the acknowledgement. Shared by the single-event and batch endpoints.
struct EventSubmitter: Sendable {
    let producer: KafkaProducer
    let health: HealthMonitor
    let metrics: GatewayMetrics
    let admission: AdmissionControl
    let deduplication: DeduplicationWindow
    let requiredTopics: [String]

    func submit(_ event: ValidatedEvent, requestID: String, logger: Logger) async -> SubmissionOutcome {
        let kind = event.kind
        let key = DeduplicationWindow.key(kind: kind, eventID: event.eventID)
        switch await deduplication.begin(key: key, content: DeduplicationWindow.Digest(event.fingerprint), topic: kind.topic) {
        case .new:
            break
        case .duplicate(let report):
            metrics.recordDuplicate(eventType: kind.rawValue)
            return .duplicate(report)
        case .conflict:
            metrics.recordRejected(eventType: kind.rawValue, reason: "conflict")
            return .conflict
        case .originalFailed(let outcome):
            return outcome
        }

        // A retry of a stored event is answered even while Kafka is away; a new event is refused at once.
        if let reason = health.current.unavailableReason(requiredTopics: requiredTopics) {
            metrics.recordFailed(topic: kind.topic, reason: "unavailable")
            let outcome = SubmissionOutcome.unavailable(reason: reason, retryAfter: 5)
            deduplication.abandon(key: key, outcome: outcome)
            return outcome
        }
        if let retryAfter = admission.admit() {
            metrics.recordFailed(topic: kind.topic, reason: "overloaded")
            let outcome = SubmissionOutcome.unavailable(reason: "too many events waiting for Kafka", retryAfter: retryAfter)
            deduplication.abandon(key: key, outcome: outcome)
            return outcome
        }
        defer { admission.release() }

        let record = event.kafkaRecord(requestID: requestID, receivedAtMillis: Int64(Date().timeIntervalSince1970 * 1000))
        let started = ContinuousClock.now
        do {
            let report = try await producer.produce(record)
            let latency = ContinuousClock.now - started
            admission.record(latency: latency)
            metrics.recordProduced(topic: kind.topic, latency: latency)
            deduplication.complete(key: key, report: report)
            return .accepted(report)
        } catch {
            admission.record(latency: ContinuousClock.now - started)
            let outcome = failure(error, event: event, logger: logger)
            deduplication.abandon(key: key, outcome: outcome)
            return outcome
        }
    }

    /// 504 when the broker may have stored the event, 503 when it certainly did not.
    private func failure(_ error: KafkaError, event: ValidatedEvent, logger: Logger) -> SubmissionOutcome {
        let reason = (error.rdKafkaName ?? error.code.description).lowercased()
        metrics.recordFailed(topic: event.kind.topic, reason: reason)
        logger.warning(
            "Event not acknowledged by Kafka",
            metadata: [
                LoggingKeys.eventID: .string(event.eventID),
                LoggingKeys.topic: .string(event.kind.topic),
                LoggingKeys.errorCode: .string(error.rdKafkaName ?? "unknown"),
                LoggingKeys.errorMessage: .string(error.message),
            ]
        )
        if error.code == .delivery && error.possiblyPersisted {
            return .timedOut(reason: error.message)
        }
        return .unavailable(reason: error.message, retryAfter: error.isQueueFull ? 1 : admission.retryAfterSeconds)
    }
}
