import FlowGuardJSON

/// Turns request bodies into ``ValidatedEvent``s with the same rules and error shapes as the FastAPI
/// service it replaces (pydantic v2, strict types, unknown fields forbidden).
///
/// The fields and their rules are the kind's ``EventSchema``. Every problem in a body is reported,
/// not only the first: declared fields in schema order, then unknown fields in body order. String
/// lengths count Unicode scalars, as Python's `len` does. A `null` optional field counts as absent.
public enum EventDecoder {
    /// Parses and validates one request body.
    /// - Parameters:
    ///   - body: The raw request body.
    ///   - kind: The kind of event the endpoint accepts.
    /// - Returns: The event, ``EventDecodingError/malformed(_:)`` when the body is not strict JSON,
    ///   or ``EventDecodingError/invalid(_:)`` with issues located under `body`. An empty body is
    ///   invalid with one `missing` issue at `["body"]`, as FastAPI reports it.
    public static func decode(_ body: some Collection<UInt8>, as kind: EventKind) -> Result<ValidatedEvent, EventDecodingError> {
        decode(body, as: kind, plainFirst: true)
    }

    /// `decode(_:as:)`, with ``decodePlainEvent(from:as:)`` tried first or not (tests compare both).
    static func decode(_ body: some Collection<UInt8>, as kind: EventKind, plainFirst: Bool) -> Result<ValidatedEvent, EventDecodingError> {
        guard !body.isEmpty else {
            return .failure(.invalid([ValidationIssue(loc: ["body"], msg: "Field required", type: "missing")]))
        }
        if let decoded = body.withContiguousStorageIfAvailable({ decode(UnsafeRawBufferPointer($0), as: kind, plainFirst: plainFirst) }) {
            return decoded
        }
        return Array(body).withUnsafeBytes { decode($0, as: kind, plainFirst: plainFirst) }
    }

    private static func decode(_ body: UnsafeRawBufferPointer, as kind: EventKind, plainFirst: Bool) -> Result<ValidatedEvent, EventDecodingError> {
        var scanner = JSONScanner(input: body, maxDepth: JSONParser.defaultMaxDepth)
        do {
            scanner.skipWhitespace()
            let event = try decodeEvent(from: &scanner, as: kind, location: ["body"], plainFirst: plainFirst)
            try scanner.expectEnd()
            return event.mapError { EventDecodingError.invalid($0.issues) }
        } catch {
            return .failure(.malformed(error))
        }
    }

    /// Reads the value at the scanner's cursor as one event, straight into its fields: the body is
    /// never built as a ``JSONValue`` tree (only a field holding an array or object is). The common
    /// case is read by ``decodePlainEvent(from:as:)``, without a ``JSONValue`` at all.
    /// - Parameters:
    ///   - scanner: Positioned at the value; left right after it.
    ///   - kind: The kind of event expected.
    ///   - location: Prefixed to every issue's `loc`; built only when the plain reader does not take the value.
    ///   - plainFirst: Try ``decodePlainEvent(from:as:)`` first (tests turn it off to compare).
    /// - Returns: The event, or every issue found.
    /// - Throws: ``JSONParseError`` when the value is not strict JSON; it takes precedence over any issue.
    package static func decodeEvent(
        from scanner: inout JSONScanner,
        as kind: EventKind,
        location: @autoclosure () -> [ValidationIssue.Location],
        plainFirst: Bool = true
    ) throws(JSONParseError) -> Result<ValidatedEvent, ValidationFailure> {
        if plainFirst, let event = decodePlainEvent(from: &scanner, as: kind) {
            return .success(event)
        }
        let location = location()
        guard try scanner.peekByte() == UInt8(ascii: "{") else {
            _ = try scanner.parseValue()
            return .failure(notAnObject(location))
        }
        var validator = EventBodyValidator(kind: kind, location: location)
        try scanner.parseObject { key, value in
            validator.take(value, key: key)
        }
        return validator.result()
    }

    /// Validates an already parsed value.
    /// - Parameters:
    ///   - value: The event as parsed JSON.
    ///   - kind: The kind of event expected.
    ///   - location: Prefixed to every issue's `loc`: `["body"]` for a single event, `["body", 3]` for
    ///     item 3 of a batch.
    /// - Returns: The event, or every issue found.
    public static func validate(
        _ value: JSONValue,
        as kind: EventKind,
        location: [ValidationIssue.Location]
    ) -> Result<ValidatedEvent, ValidationFailure> {
        guard case .object(let object) = value else {
            return .failure(notAnObject(location))
        }
        var validator = EventBodyValidator(kind: kind, location: location)
        for (key, member) in object.entries {
            validator.take(member, key: key)
        }
        return validator.result()
    }

    private static func notAnObject(_ location: [ValidationIssue.Location]) -> ValidationFailure {
        ValidationFailure([
            ValidationIssue(
                loc: location,
                msg: "Input should be a valid dictionary or object to extract fields from",
                type: "model_attributes_type"
            )
        ])
    }
}
