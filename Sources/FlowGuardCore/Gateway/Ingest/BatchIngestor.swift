import Foundation
import Hummingbird
import Logging

/// `POST .../batch`: a JSON array or NDJSON of events, each validated and produced on its own;
/// the answer lists one result per input index, in order, once every accepted event was acknowledged.
struct BatchIngestor: Sendable {
    let submitter: EventSubmitter
    let metrics: GatewayMetrics
    let maxBatch: Int
    let maxBatchBodyBytes: Int

    func ingest(_ request: Request, context: GatewayRequestContext, kind: EventKind) async throws -> Response {
        try RequestBody.checkJSONContentType(request, allowNDJSON: true)
        let isNDJSON = request.headers[.contentType].map(RequestBody.mediaType) == "application/x-ndjson"
        let body = try await RequestBody.collect(request, limit: maxBatchBodyBytes)
        let items = try isNDJSON ? Self.splitNDJSON(body) : Self.splitArray(body)
        guard items.count <= maxBatch else {
            throw GatewayError.validation([
                ValidationIssue(
                    loc: ["body"], msg: "List should have at most \(maxBatch) items after validation, not \(items.count)", type: "too_long"
                )
            ])
        }

        var results = [JSONValue](repeating: .null, count: items.count)
        var valid: [(index: Int, event: ValidatedEvent)] = []
        for (index, item) in items.enumerated() {
            switch EventDecoder.validate(item, as: kind, location: ["body", .index(index)]) {
            case .success(let event):
                valid.append((index, event))
            case .failure(let failure):
                metrics.recordRejected(eventType: kind.rawValue, reason: "invalid")
                results[index] = .object(
                    JSONObject([
                        (key: "index", value: .number(JSONNumber(Int64(index)))),
                        (key: "status", value: .number(JSONNumber(422))),
                        (key: "detail", value: Self.issuesValue(failure.issues)),
                    ])
                )
            }
        }

        let requestID = context.requestID
        let logger = context.logger
        let submitter = self.submitter
        let outcomes = await withTaskGroup(of: (Int, ValidatedEvent, SubmissionOutcome).self) { group in
            for (index, event) in valid {
                group.addTask {
                    (index, event, await submitter.submit(event, requestID: "\(requestID)/\(index)", logger: logger))
                }
            }
            var outcomes: [(Int, ValidatedEvent, SubmissionOutcome)] = []
            outcomes.reserveCapacity(valid.count)
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        var accepted = 0
        var failed = 0
        for (index, event, outcome) in outcomes {
            results[index] = Self.itemResult(index: index, event: event, outcome: outcome)
            switch outcome {
            case .accepted, .duplicate: accepted += 1
            case .conflict, .unavailable, .timedOut: failed += 1
            }
        }
        let rejected = items.count - valid.count
        let summary = JSONObject([
            (key: "accepted", value: .number(JSONNumber(Int64(accepted)))),
            (key: "rejected", value: .number(JSONNumber(Int64(rejected)))),
            (key: "failed", value: .number(JSONNumber(Int64(failed)))),
        ])
        return .json(.ok, JSONObject([(key: "summary", value: .object(summary)), (key: "results", value: .array(results))]))
    }

    private static func itemResult(index: Int, event: ValidatedEvent, outcome: SubmissionOutcome) -> JSONValue {
        var entries: [(key: String, value: JSONValue)] = [
            (key: "index", value: .number(JSONNumber(Int64(index)))),
            (key: "status", value: .number(JSONNumber(Int64(outcome.status)))),
            (key: "event_id", value: .string(event.eventID)),
        ]
        switch outcome {
        case .accepted(let report), .duplicate(let report):
            entries.append((key: "partition", value: .number(JSONNumber(Int64(report.partition)))))
            entries.append((key: "offset", value: .number(JSONNumber(report.offset))))
            if case .duplicate = outcome { entries.append((key: "duplicate", value: .bool(true))) }
        case .conflict:
            entries.append((key: "detail", value: .string("event_id already accepted with different content")))
        case .unavailable(let reason, let retryAfter):
            entries.append((key: "detail", value: .string("not stored: \(reason)")))
            entries.append((key: "retry_after", value: .number(JSONNumber(Int64(retryAfter)))))
        case .timedOut(let reason):
            entries.append((key: "detail", value: .string("not acknowledged in time, may or may not be stored: \(reason)")))
            entries.append((key: "stored", value: .string("unknown")))
        }
        return .object(JSONObject(entries))
    }

    private static func issuesValue(_ issues: [ValidationIssue]) -> JSONValue {
        // Reuse the FastAPI rendering, then parse it back into the item (no second encoder to keep in step).
        let rendered = issues.fastAPIBody
        guard case .object(let object) = try? JSONParser.parse(rendered), let detail = object["detail"] else { return .array([]) }
        return detail
    }

    /// A JSON array body: its elements. Anything else is a 400 for the whole request.
    static func splitArray(_ body: ByteBuffer) throws -> [JSONValue] {
        let value: JSONValue
        do {
            value = try JSONParser.parse(body.readableBytesView)
        } catch {
            throw GatewayError.detail(
                .badRequest, "Malformed JSON at byte \(error.byteOffset): \(error.message)",
                extra: [(key: "byte_offset", value: .number(JSONNumber(Int64(error.byteOffset))))]
            )
        }
        guard case .array(let elements) = value else {
            throw GatewayError.detail(.badRequest, "A batch body must be a JSON array of events (or NDJSON with Content-Type: application/x-ndjson)")
        }
        return elements
    }

    /// An NDJSON body: one event per non-empty line. A broken line is a 400 naming it.
    static func splitNDJSON(_ body: ByteBuffer) throws -> [JSONValue] {
        var items: [JSONValue] = []
        let bytes = body.readableBytesView
        var lineNumber = 0
        var start = bytes.startIndex
        while start <= bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            lineNumber += 1
            var line = bytes[start..<end]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                do {
                    items.append(try JSONParser.parse(line))
                } catch {
                    throw GatewayError.detail(
                        .badRequest, "Malformed JSON on line \(lineNumber) at byte \(error.byteOffset): \(error.message)",
                        extra: [(key: "line", value: .number(JSONNumber(Int64(lineNumber))))]
                    )
                }
            }
            if end == bytes.endIndex { break }
            start = bytes.index(after: end)
        }
        return items
    }
}
