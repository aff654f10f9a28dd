import FlowGuardEvents
import FlowGuardJSON
import FlowGuardKafka
import Hummingbird
import Logging

/// The steps of one event, whatever carried it: the API key and the content type from the head,
/// then the body's validation, deduplication, admission and production, and the answer for each
/// outcome. Two transports use it and add only what is theirs: the router (`ingest(_:context:kind:)`,
/// behind its middleware) and the event fast path (`EventFastPath`, on the connection's event loop).
struct EventIngestor: Sendable {
    let submitter: EventSubmitter
    let metrics: GatewayMetrics
    let apiKeys: APIKeyMiddleware
    let maxBodyBytes: Int

    /// What refuses a single event from its head alone: a missing or wrong API key (401), then a
    /// content type other than JSON (415).
    func refusal(method: HTTPRequest.Method, path: String, headers: HTTPFields) -> GatewayError? {
        if let refusal = apiKeys.refusal(method: method, path: path, headers: headers) {
            return refusal
        }
        do {
            try RequestBody.checkJSONContentType(headers[.contentType], allowNDJSON: false)
            return nil
        } catch {
            return error
        }
    }

    /// Validates, deduplicates, admits and produces one event whose head passed `refusal`; `answer`
    /// gets the answer once, on the calling thread when it is known at once (a rejection, a
    /// duplicate, a refusal to admit), else on the producer's poll thread.
    func ingest(
        body: some Collection<UInt8>, kind: EventKind, requestID: String, logger: Logger,
        answer: @escaping @Sendable (Result<JSONAnswer, GatewayError>) -> Void
    ) {
        let event: ValidatedEvent
        switch decode(body, as: kind) {
        case .success(let decoded): event = decoded
        case .failure(let error): return answer(.failure(error))
        }
        submitter.submit(event, requestID: requestID, logger: logger) { outcome in
            answer(Self.answer(outcome, event: event))
        }
    }

    /// `POST` of one event through the router, whose middleware has set the request id and checked
    /// the API key (`APIKeyMiddleware` leaves these routes to `refusal`, so it is checked once).
    func ingest(_ request: Request, context: GatewayRequestContext, kind: EventKind) async throws -> Response {
        if let refusal = refusal(method: request.method, path: request.uri.path, headers: request.headers) {
            throw refusal
        }
        let body = try await RequestBody.collect(request, limit: maxBodyBytes)
        let result = await withCheckedContinuation { continuation in
            ingest(body: body.readableBytesView, kind: kind, requestID: context.requestID, logger: context.logger) { result in
                continuation.resume(returning: result)
            }
        }
        let answer = try result.get()
        return .json(answer.status, answer.body, headers: answer.headers)
    }

    /// Decodes and validates one event's body; a rejection is counted and answered 400 or 422.
    func decode(_ body: some Collection<UInt8>, as kind: EventKind) -> Result<ValidatedEvent, GatewayError> {
        switch EventDecoder.decode(body, as: kind) {
        case .success(let event):
            return .success(event)
        case .failure(.malformed(let error)):
            metrics.recordRejected(eventType: kind.rawValue, reason: "malformed")
            return .failure(
                GatewayError.detail(
                    .badRequest,
                    "Malformed JSON at byte \(error.byteOffset): \(error.message)",
                    extra: [(key: "byte_offset", value: .number(JSONNumber(Int64(error.byteOffset))))]
                )
            )
        case .failure(.invalid(let issues)):
            metrics.recordRejected(eventType: kind.rawValue, reason: "invalid")
            return .failure(GatewayError.validation(issues))
        }
    }

    /// The answer to one submitted event: 202 or 200 (a duplicate), else the error.
    static func answer(_ outcome: SubmissionOutcome, event: ValidatedEvent) -> Result<JSONAnswer, GatewayError> {
        switch outcome {
        case .accepted(let report):
            return .success(JSONAnswer(status: .accepted, body: acceptedBody(status: "accepted", event: event, report: report)))
        case .duplicate(let report):
            return .success(
                JSONAnswer(status: .ok, body: acceptedBody(status: "duplicate", event: event, report: report), headers: [.xDuplicate: "true"])
            )
        case .conflict:
            return .failure(
                GatewayError.detail(
                    .conflict,
                    "event_id '\(event.eventID)' was already accepted with different content",
                    extra: [(key: "event_id", value: .string(event.eventID))]
                )
            )
        case .unavailable(let reason, let retryAfter):
            return .failure(unavailable(reason, retryAfter: retryAfter))
        case .timedOut(let reason):
            return .failure(
                GatewayError.detail(
                    .gatewayTimeout,
                    "Kafka did not acknowledge the event within the delivery timeout; it may or may not be stored (\(reason)). A retry is produced again, so the event may then be stored twice: consumers deduplicate by event_id.",
                    extra: [(key: "stored", value: .string("unknown"))]
                )
            )
        }
    }

    /// `{"status":…,"event_id":…,"event_type":…,"topic":…,"partition":…,"offset":…}`, written straight to bytes.
    static func acceptedBody(status: String, event: ValidatedEvent, report: DeliveryReport) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(128 + event.eventID.utf8.count + report.topic.utf8.count)
        JSONWriter.appendRaw(#"{"status":""#, to: &buffer)
        JSONWriter.appendRaw(status, to: &buffer)
        JSONWriter.appendRaw(#"","event_id":"#, to: &buffer)
        JSONWriter.appendString(event.eventID, to: &buffer)
        JSONWriter.appendRaw(#","event_type":"#, to: &buffer)
        JSONWriter.appendString(event.kind.rawValue, to: &buffer)
        JSONWriter.appendRaw(#","topic":"#, to: &buffer)
        JSONWriter.appendString(report.topic, to: &buffer)
        JSONWriter.appendRaw(#","partition":"#, to: &buffer)
        JSONWriter.appendInteger(Int64(report.partition), to: &buffer)
        JSONWriter.appendRaw(#","offset":"#, to: &buffer)
        JSONWriter.appendInteger(report.offset, to: &buffer)
        buffer.append(UInt8(ascii: "}"))
        return buffer
    }

    static func unavailable(_ reason: String, retryAfter seconds: Int) -> GatewayError {
        GatewayError.detail(
            .serviceUnavailable,
            "Kafka cannot take the event now, it was not stored: \(reason)",
            extra: [(key: "retry_after", value: .number(JSONNumber(Int64(seconds))))],
            headers: [.retryAfter: String(seconds)]
        )
    }
}

/// Content type and size checks shared by the event endpoints.
enum RequestBody {
    /// JSON (or NDJSON for batches); a request without a content type is read as JSON, as FastAPI does.
    static func checkJSONContentType(_ contentType: String?, allowNDJSON: Bool) throws(GatewayError) {
        guard let contentType else { return }
        if isMediaType(contentType, "application/json") || (allowNDJSON && isMediaType(contentType, "application/x-ndjson")) {
            return
        }
        throw GatewayError.detail(
            .unsupportedMediaType,
            "Content-Type must be application/json\(allowNDJSON ? " or application/x-ndjson" : ""), got '\(contentType)'"
        )
    }

    /// Whether `contentType`'s media type (before any `;` parameters, blanks around it ignored) is
    /// `expected`, compared case-insensitively; `expected` is lowercase ASCII.
    static func isMediaType(_ contentType: String, _ expected: StaticString) -> Bool {
        var utf8 = Substring(contentType).utf8
        if let semicolon = utf8.firstIndex(of: UInt8(ascii: ";")) {
            utf8 = utf8[..<semicolon]
        }
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = utf8.firstIndex(where: { !isBlank($0) }), let last = utf8.lastIndex(where: { !isBlank($0) }) else {
            return false
        }
        let trimmed = utf8[first...last]
        guard trimmed.count == expected.utf8CodeUnitCount else { return false }
        return expected.withUTF8Buffer { expectedBytes in
            zip(trimmed, expectedBytes).allSatisfy { byte, wanted in
                (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte) == wanted
            }
        }
    }

    /// Reads the body, refusing one over the limit before reading it when Content-Length says so.
    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw tooLarge(limit)
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge(limit)
        }
    }

    private static func tooLarge(_ limit: Int) -> GatewayError {
        GatewayError.detail(.contentTooLarge, "Request body larger than \(limit) bytes")
    }
}
