import Foundation
import Hummingbird
import Logging

/// The path of one event: check, validate, produce, wait for Kafka's acknowledgement, answer.
struct EventIngestor: Sendable {
    let producer: KafkaProducer
    let health: HealthMonitor
    let metrics: GatewayMetrics
    let configuration: GatewayConfiguration

    /// Handles `POST` of one event of `kind`.
    func ingest(_ request: Request, context: GatewayRequestContext, kind: EventKind) async throws -> Response {
        try checkContentType(request, kind: kind)
        let body = try await collectBody(request, context: context)

        let event: ValidatedEvent
        switch EventDecoder.decode(body.readableBytesView, as: kind) {
        case .success(let decoded):
            event = decoded
        case .failure(.malformed(let error)):
            metrics.recordRejected(eventType: kind.rawValue, reason: "malformed")
            throw GatewayError.detail(
                .badRequest,
                "Malformed JSON at byte \(error.byteOffset): \(error.message)",
                extra: [(key: "byte_offset", value: .number(JSONNumber(Int64(error.byteOffset))))]
            )
        case .failure(.invalid(let issues)):
            metrics.recordRejected(eventType: kind.rawValue, reason: "invalid")
            throw GatewayError.validation(issues)
        }

        if let reason = health.current.unavailableReason(requiredTopics: configuration.requiredTopics) {
            metrics.recordFailed(topic: kind.topic, reason: "unavailable")
            throw Self.unavailable(reason, retryAfter: 5)
        }

        let record = event.kafkaRecord(requestID: context.requestID, receivedAtMillis: Int64(Date().timeIntervalSince1970 * 1000))
        let started = ContinuousClock.now
        metrics.inFlight.add(1, ordering: .relaxed)
        defer { metrics.inFlight.subtract(1, ordering: .relaxed) }
        let report: DeliveryReport
        do {
            report = try await producer.produce(record)
        } catch {
            throw failure(error, kind: kind, event: event, context: context)
        }
        metrics.recordProduced(topic: kind.topic, latency: .now - started)

        var object = JSONObject()
        object.entries.reserveCapacity(6)
        object.entries.append((key: "status", value: .string("accepted")))
        object.entries.append((key: "event_id", value: .string(event.eventID)))
        object.entries.append((key: "event_type", value: .string(kind.rawValue)))
        object.entries.append((key: "topic", value: .string(report.topic)))
        object.entries.append((key: "partition", value: .number(JSONNumber(Int64(report.partition)))))
        object.entries.append((key: "offset", value: .number(JSONNumber(report.offset))))
        return .json(.accepted, object)
    }

    /// JSON only; a request without a content type is read as JSON, as FastAPI does.
    private func checkContentType(_ request: Request, kind: EventKind) throws {
        guard let contentType = request.headers[.contentType] else { return }
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard mediaType == "application/json" else {
            metrics.recordRejected(eventType: kind.rawValue, reason: "content_type")
            throw GatewayError.detail(
                .unsupportedMediaType,
                "Content-Type must be application/json, got '\(contentType)'"
            )
        }
    }

    /// Reads the body, refusing one over the limit before reading it when Content-Length says so.
    private func collectBody(_ request: Request, context: GatewayRequestContext) async throws -> ByteBuffer {
        let limit = configuration.maxBodyBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw Self.tooLarge(limit)
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Self.tooLarge(limit)
        }
    }

    private static func tooLarge(_ limit: Int) -> GatewayError {
        GatewayError.detail(.contentTooLarge, "Request body larger than \(limit) bytes")
    }

    static func unavailable(_ reason: String, retryAfter seconds: Int) -> GatewayError {
        GatewayError.detail(
            .serviceUnavailable,
            "Kafka cannot take the event now, it was not stored: \(reason)",
            extra: [(key: "retry_after", value: .number(JSONNumber(Int64(seconds))))],
            headers: [.retryAfter: String(seconds)]
        )
    }

    /// Maps a producer error to the answer: 503 when the event was certainly not stored, 504 when it may have been.
    private func failure(_ error: KafkaError, kind: EventKind, event: ValidatedEvent, context: GatewayRequestContext) -> GatewayError {
        let reason = (error.rdKafkaName ?? error.code.description).lowercased()
        metrics.recordFailed(topic: kind.topic, reason: reason)
        context.logger.warning(
            "Event not acknowledged by Kafka",
            metadata: [
                LoggingKeys.eventID: .string(event.eventID),
                LoggingKeys.topic: .string(kind.topic),
                LoggingKeys.errorCode: .string(error.rdKafkaName ?? "unknown"),
                LoggingKeys.errorMessage: .string(error.message),
            ]
        )
        if error.code == .delivery && error.possiblyPersisted {
            return GatewayError.detail(
                .gatewayTimeout,
                "Kafka did not acknowledge the event within the delivery timeout; it may or may not be stored. Retrying with the same event_id is safe for consumers that deduplicate.",
                extra: [(key: "stored", value: .string("unknown"))]
            )
        }
        return Self.unavailable(error.message, retryAfter: error.isQueueFull ? 1 : 5)
    }
}
