import FlowGuardEvents
import FlowGuardJSON
import Hummingbird
import Logging

/// `POST .../batch`: a JSON array or NDJSON of events, each validated and produced on its own;
/// the answer lists one result per input index, in order, once every accepted event was acknowledged.
struct BatchIngestor: Sendable {
    let submitter: EventSubmitter
    let metrics: GatewayMetrics
    let maxBatch: Int
    let maxBatchBodyBytes: Int
    /// Bounds the batches processed at once (``BatchGate``).
    let gate: BatchGate
    /// How long a batch waits for its turn before 503.
    let maxWait: Duration

    func ingest(_ request: Request, context: GatewayRequestContext, kind: EventKind) async throws -> Response {
        try RequestBody.checkJSONContentType(request.headers[.contentType], allowNDJSON: true)
        let isNDJSON = request.headers[.contentType].map { RequestBody.isMediaType($0, "application/x-ndjson") } ?? false
        let body = try await RequestBody.collect(request, limit: maxBatchBodyBytes)
        guard await gate.acquire(timeout: maxWait) else {
            throw GatewayError.detail(
                .serviceUnavailable,
                "Too many batches in progress (\(gate.permits) at once); none of this batch's events was stored",
                extra: [(key: "retry_after", value: .number(JSONNumber(1)))],
                headers: [.retryAfter: "1"]
            )
        }
        defer { gate.release() }
        // Decoded in one synchronous step, so that the body is released before the wait for Kafka:
        // only the validated events live on.
        let decoded = try decode(body, isNDJSON: isNDJSON, kind: kind)
        let outcomes = await submitter.submitBatch(decoded.valid, requestID: context.requestID, logger: context.logger)
        return .json(.ok, Self.responseBody(decoded, outcomes: outcomes))
    }

    /// The items of a batch: the valid events with their indices, and the issues of the others.
    struct DecodedBatch {
        var count: Int
        var valid: [ValidatedEvent] = []
        var indices: [Int] = []
        var rejections: [(index: Int, issues: [ValidationIssue])] = []
    }

    private func decode(_ body: consuming ByteBuffer, isNDJSON: Bool, kind: EventKind) throws -> DecodedBatch {
        let batch = try isNDJSON ? Self.decodeNDJSON(body, kind: kind, maxBatch: maxBatch) : Self.decodeArray(body, kind: kind, maxBatch: maxBatch)
        guard batch.count <= maxBatch else {
            throw GatewayError.validation([
                ValidationIssue(
                    loc: ["body"], msg: "List should have at most \(maxBatch) items after validation, not \(batch.count)", type: "too_long"
                )
            ])
        }
        if !batch.rejections.isEmpty {
            metrics.recordRejected(eventType: kind.rawValue, reason: "invalid", count: batch.rejections.count)
        }
        return batch
    }

    /// `{"summary":{...},"results":[...]}`, one result per input index in order, written straight to bytes.
    /// - Parameter outcomes: one per event of `batch.valid`, in order.
    static func responseBody(_ batch: DecodedBatch, outcomes: [SubmissionOutcome]) -> [UInt8] {
        let (count, rejections, valid, indices) = (batch.count, batch.rejections, batch.valid, batch.indices)
        var accepted = 0
        var failed = 0
        for outcome in outcomes {
            switch outcome {
            case .accepted, .duplicate: accepted += 1
            case .conflict, .unavailable, .timedOut: failed += 1
            }
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(64 + count * 96)
        JSONWriter.appendRaw(#"{"summary":{"accepted":"#, to: &buffer)
        JSONWriter.appendInteger(Int64(accepted), to: &buffer)
        JSONWriter.appendRaw(#","rejected":"#, to: &buffer)
        JSONWriter.appendInteger(Int64(rejections.count), to: &buffer)
        JSONWriter.appendRaw(#","failed":"#, to: &buffer)
        JSONWriter.appendInteger(Int64(failed), to: &buffer)
        JSONWriter.appendRaw(#"},"results":["#, to: &buffer)
        var nextValid = 0
        var nextRejection = 0
        for index in 0..<count {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            if nextValid < indices.count, indices[nextValid] == index {
                appendResult(index: index, event: valid[nextValid], outcome: outcomes[nextValid], to: &buffer)
                nextValid += 1
            } else {
                JSONWriter.appendRaw(#"{"index":"#, to: &buffer)
                JSONWriter.appendInteger(Int64(index), to: &buffer)
                JSONWriter.appendRaw(#","status":422,"detail":"#, to: &buffer)
                JSONWriter.append(issuesValue(rejections[nextRejection].issues), to: &buffer)
                buffer.append(UInt8(ascii: "}"))
                nextRejection += 1
            }
        }
        JSONWriter.appendRaw("]}", to: &buffer)
        return buffer
    }

    private static func appendResult(index: Int, event: ValidatedEvent, outcome: SubmissionOutcome, to buffer: inout [UInt8]) {
        JSONWriter.appendRaw(#"{"index":"#, to: &buffer)
        JSONWriter.appendInteger(Int64(index), to: &buffer)
        JSONWriter.appendRaw(#","status":"#, to: &buffer)
        JSONWriter.appendInteger(Int64(outcome.status), to: &buffer)
        JSONWriter.appendRaw(#","event_id":"#, to: &buffer)
        JSONWriter.appendString(event.eventID, to: &buffer)
        switch outcome {
        case .accepted(let report), .duplicate(let report):
            JSONWriter.appendRaw(#","partition":"#, to: &buffer)
            JSONWriter.appendInteger(Int64(report.partition), to: &buffer)
            JSONWriter.appendRaw(#","offset":"#, to: &buffer)
            JSONWriter.appendInteger(report.offset, to: &buffer)
            if case .duplicate = outcome { JSONWriter.appendRaw(#","duplicate":true"#, to: &buffer) }
        case .conflict:
            JSONWriter.appendRaw(#","detail":"event_id already accepted with different content""#, to: &buffer)
        case .unavailable(let reason, let retryAfter):
            JSONWriter.appendRaw(#","detail":"#, to: &buffer)
            JSONWriter.appendString("not stored: \(reason)", to: &buffer)
            JSONWriter.appendRaw(#","retry_after":"#, to: &buffer)
            JSONWriter.appendInteger(Int64(retryAfter), to: &buffer)
        case .timedOut(let reason):
            JSONWriter.appendRaw(#","detail":"#, to: &buffer)
            JSONWriter.appendString("not acknowledged in time, may or may not be stored: \(reason)", to: &buffer)
            JSONWriter.appendRaw(#","stored":"unknown""#, to: &buffer)
        }
        buffer.append(UInt8(ascii: "}"))
    }

    private static func issuesValue(_ issues: [ValidationIssue]) -> JSONValue {
        // Reuse the FastAPI rendering, then parse it back into the item (no second encoder to keep in step).
        let rendered = issues.fastAPIBody
        guard case .object(let object) = try? JSONParser.parse(rendered), let detail = object["detail"] else { return .array([]) }
        return detail
    }

    /// A JSON array body, read element by element straight into events (no tree of the whole body).
    /// Elements past `maxBatch` are only counted. Anything but an array is a 400 for the whole request.
    static func decodeArray(_ body: ByteBuffer, kind: EventKind, maxBatch: Int) throws -> DecodedBatch {
        let scanned = body.withUnsafeReadableBytes { bytes in
            Result { () throws(JSONParseError) in try scanArray(bytes, kind: kind, maxBatch: maxBatch) }
        }
        switch scanned {
        case .success(let batch?):
            return batch
        case .success(nil):
            throw GatewayError.detail(.badRequest, "A batch body must be a JSON array of events (or NDJSON with Content-Type: application/x-ndjson)")
        case .failure(let error):
            throw GatewayError.detail(
                .badRequest, "Malformed JSON at byte \(error.byteOffset): \(error.message)",
                extra: [(key: "byte_offset", value: .number(JSONNumber(Int64(error.byteOffset))))]
            )
        }
    }

    /// The batch in `bytes`, or nil when they hold one JSON value that is not an array.
    private static func scanArray(_ bytes: UnsafeRawBufferPointer, kind: EventKind, maxBatch: Int) throws(JSONParseError) -> DecodedBatch? {
        var scanner = JSONScanner(input: bytes, maxDepth: JSONParser.defaultMaxDepth)
        scanner.skipWhitespace()
        guard try scanner.peekByte() == UInt8(ascii: "[") else {
            _ = try scanner.parseValue()
            try scanner.expectEnd()
            return nil
        }
        var batch = DecodedBatch(count: 0)
        try scanner.parseArray { (scanner: inout JSONScanner, index: Int) throws(JSONParseError) in
            try batch.decodeItem(from: &scanner, index: index, kind: kind, maxBatch: maxBatch)
        }
        try scanner.expectEnd()
        return batch
    }

    /// An NDJSON body: one event per non-empty line. A broken line is a 400 naming it.
    static func decodeNDJSON(_ body: ByteBuffer, kind: EventKind, maxBatch: Int) throws -> DecodedBatch {
        let scanned = body.withUnsafeReadableBytes { bytes in
            Result { () throws(NDJSONLineError) in try scanNDJSON(bytes, kind: kind, maxBatch: maxBatch) }
        }
        switch scanned {
        case .success(let batch):
            return batch
        case .failure(let failure):
            throw GatewayError.detail(
                .badRequest, "Malformed JSON on line \(failure.line) at byte \(failure.error.byteOffset): \(failure.error.message)",
                extra: [(key: "line", value: .number(JSONNumber(Int64(failure.line))))]
            )
        }
    }

    private struct NDJSONLineError: Error {
        var line: Int
        var error: JSONParseError
    }

    private static func scanNDJSON(_ bytes: UnsafeRawBufferPointer, kind: EventKind, maxBatch: Int) throws(NDJSONLineError) -> DecodedBatch {
        var batch = DecodedBatch(count: 0)
        var lineNumber = 0
        var start = 0
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            lineNumber += 1
            var line = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
            if line.last == UInt8(ascii: "\r") { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
            if !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                var scanner = JSONScanner(input: line, maxDepth: JSONParser.defaultMaxDepth)
                do {
                    scanner.skipWhitespace()
                    try batch.decodeItem(from: &scanner, index: batch.count, kind: kind, maxBatch: maxBatch)
                    try scanner.expectEnd()
                } catch {
                    throw NDJSONLineError(line: lineNumber, error: error)
                }
            }
            start = end + 1
        }
        return batch
    }
}

extension BatchIngestor.DecodedBatch {
    /// Reads item `index` at the scanner's cursor: an event or its issues, or, past `maxBatch`, only
    /// its syntax (the batch is refused as too long).
    fileprivate mutating func decodeItem(
        from scanner: inout JSONScanner,
        index: Int,
        kind: EventKind,
        maxBatch: Int
    ) throws(JSONParseError) {
        count = index + 1
        guard index < maxBatch else {
            _ = try scanner.parseValue()
            return
        }
        switch try EventDecoder.decodeEvent(from: &scanner, as: kind, location: ["body", .index(index)]) {
        case .success(let event):
            valid.append(event)
            indices.append(index)
        case .failure(let failure):
            rejections.append((index, failure.issues))
        }
    }
}
