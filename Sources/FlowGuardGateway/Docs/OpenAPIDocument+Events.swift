import FlowGuardEvents
import FlowGuardJSON
import FlowGuardSupport

/// What the document says of each event endpoint beyond its ``EventSchema``.
private struct EventEndpoint {
    var kind: EventKind
    /// The single-event operation's id; the batch's adds `Batch`.
    var operationID: String
    var summary: String
    var batchSummary: String
    var description: String

    static let all = [
        EventEndpoint(
            kind: .order, operationID: "submitOrder", summary: "Submit an order event", batchSummary: "Submit a batch of orders",
            description: "Validates an `OrderEvent` and produces it to the orders topic. The 202 is sent once Kafka has acknowledged the record on all in-sync replicas."
        ),
        EventEndpoint(
            kind: .click, operationID: "submitClick", summary: "Submit an ad click event", batchSummary: "Submit a batch of clicks",
            description: "Validates a `ClickEvent` and produces it to the clicks topic. An event that only records that an ad was shown can also go to `\(EventKind.impression.path)`."
        ),
        EventEndpoint(
            kind: .impression, operationID: "submitImpression", summary: "Submit an ad impression event", batchSummary: "Submit a batch of impressions",
            description: "Validates an `ImpressionEvent`, an ad that was shown, and produces it to the clicks topic."
        ),
    ]
}

extension OpenAPIDocument {
    /// The paths of the event endpoints: each kind's single-event path, then its batch path.
    static var eventPaths: [(key: String, value: JSONValue)] {
        EventEndpoint.all.flatMap { endpoint -> [(key: String, value: JSONValue)] in
            [
                (key: endpoint.kind.path, value: ["post": singleEventOperation(endpoint)]),
                (key: endpoint.kind.path + "/batch", value: ["post": batchOperation(endpoint)]),
            ]
        }
    }

    /// The event schemas, each from its kind's table, and the timestamp they share.
    static var eventSchemas: [(key: String, value: JSONValue)] {
        let schemas = EventKind.allCases.map(\.schema)
        var timestamps: [(key: String, value: JSONValue)] = []
        for field in schemas.flatMap(\.fields) {
            if case .timestamp(let range) = field.rule, !timestamps.contains(where: { $0.key == componentName(of: field) }) {
                timestamps.append((key: componentName(of: field), value: timestampSchema(field, range: range)))
            }
        }
        return timestamps + schemas.map { (key: $0.title, value: eventSchema($0)) }
    }

    private static func singleEventOperation(_ endpoint: EventEndpoint) -> JSONValue {
        let schema = endpoint.kind.schema
        let examples = schema.examples()
        return eventOperation(
            endpoint.operationID, endpoint.summary, endpoint.description,
            requestBody: [
                "required": true,
                "content": [
                    "application/json": [
                        "schema": OpenAPIDocument.schema(schema.title),
                        "examples": namedExamples(examples.map { ($0.name, $0.summary, JSONValue.object($0.body)) }),
                    ]
                ],
            ],
            responses: [
                "200": ref("responses", "Duplicate"),
                "202": [
                    "description": "Kafka acknowledged the event on all in-sync replicas.",
                    "headers": requestIDHeader,
                    "content": jsonContent(OpenAPIDocument.schema("Accepted"), example: accepted(examples[0], kind: endpoint.kind)),
                ],
                "400": ref("responses", "MalformedJSON"),
                "401": ref("responses", "Unauthorized"),
                "409": ref("responses", "Conflict"),
                "413": ref("responses", "PayloadTooLarge"),
                "415": ref("responses", "UnsupportedMediaType"),
                "422": ref("responses", "ValidationFailed"),
                "503": ref("responses", "KafkaUnavailable"),
                "504": ref("responses", "KafkaTimeout"),
            ]
        )
    }

    private static func batchOperation(_ endpoint: EventEndpoint) -> JSONValue {
        let kind = endpoint.kind
        let title = kind.schema.title
        let defaults = GatewayConfiguration()
        let inArray = kind.schema.examples(eventIDSuffix: "-b").prefix(2)
        let inLines = kind.schema.examples(eventIDSuffix: "-n").prefix(2)
        let lines = inLines.map { String(decoding: JSONWriter.serialize(.object($0.body)), as: UTF8.self) + "\n" }.joined()
        let mebibytes = defaults.maxBatchBodyBytes / (1024 * 1024)
        return eventOperation(
            endpoint.operationID + "Batch", endpoint.batchSummary,
            "Up to `--max-batch` events (default \(defaults.maxBatch)) in a JSON array, or NDJSON with `Content-Type: application/x-ndjson`, at most `--max-batch-body` bytes (default \(mebibytes) MiB). Each event is validated and produced on its own, exactly as `POST \(kind.path)` would; the answer lists one result per input index, in order, and comes once every accepted event was acknowledged by Kafka. Invalid events get a 422 result and are never produced. More than `--max-batch` events is a 422 (`too_long`) for the whole request; a body over `--max-batch-body` is a 413. At most `--max-concurrent-batches` batches (default 2 per core) are processed at once; a batch that waits longer than `--max-delivery-latency` for its turn gets 503 and nothing of it is stored.",
            requestBody: [
                "required": true,
                "content": [
                    "application/json": [
                        // The items have no schema on purpose: an invalid item is a 422 result in a
                        // 200 answer, not a 4xx for the request, and a schema would promise the latter.
                        "schema": [
                            "type": "array",
                            "maxItems": .number(JSONNumber(Int64(defaults.maxBatch))),
                            "items": ["description": .string("An event, validated as `\(title)` on its own: an invalid item gets a 422 result and does not affect the others.")],
                            "description": .string("Events to validate as `\(title)`."),
                        ],
                        "examples": namedExamples([("two_events", "Two events in a JSON array", .array(inArray.map { .object($0.body) }))]),
                    ],
                    "application/x-ndjson": [
                        "schema": scalar("string", "One JSON event per line."),
                        "examples": namedExamples([("two_lines", "Two events as NDJSON", .string(lines))]),
                    ],
                ],
            ],
            responses: [
                "200": [
                    "description": "One result per event.",
                    "headers": requestIDHeader,
                    "content": jsonContent(OpenAPIDocument.schema("BatchResult"), example: batchResult(first: inArray[inArray.startIndex], kind: kind)),
                ],
                "400": ref("responses", "MalformedBatch"),
                "401": ref("responses", "Unauthorized"),
                "413": ref("responses", "PayloadTooLarge"),
                "415": ref("responses", "UnsupportedMediaType"),
                "422": ref("responses", "ValidationFailed"),
                "503": ref("responses", "BatchBusy"),
            ]
        )
    }

    /// A `POST` of events: tagged `events`, with the API key security and the request id parameter.
    private static func eventOperation(
        _ operationID: String, _ summary: String, _ description: String, requestBody: JSONValue, responses: JSONValue
    ) -> JSONValue {
        [
            "tags": ["events"],
            "operationId": .string(operationID),
            "summary": .string(summary),
            "description": .string(description),
            "security": eventSecurity,
            "parameters": eventParameters,
            "requestBody": requestBody,
            "responses": responses,
        ]
    }

    /// `examples` of a media type: each example by name, with its summary and value.
    private static func namedExamples(_ examples: [(name: String, summary: String, value: JSONValue)]) -> JSONValue {
        .object(JSONObject(examples.map { (key: $0.name, value: ["summary": .string($0.summary), "value": $0.value]) }))
    }

    /// The 202 answer to an example.
    private static func accepted(_ example: EventExample, kind: EventKind) -> JSONValue {
        [
            "status": "accepted",
            "event_id": .string(example.eventID),
            "event_type": .string(kind.rawValue),
            "topic": .string(kind.topic),
            "partition": 1,
            "offset": 42,
        ]
    }

    /// A batch answer: the first event stored, the second rejected for a missing field.
    private static func batchResult(first: EventExample, kind: EventKind) -> JSONValue {
        [
            "summary": ["accepted": 1, "rejected": 1, "failed": 0],
            "results": [
                ["index": 0, "status": 202, "event_id": .string(first.eventID), "partition": 1, "offset": 43],
                ["index": 1, "status": 422, "detail": issuesOfIncompleteExample(kind, location: ["body", 1])],
            ],
        ]
    }

    /// The `detail` the decoder gives for the minimal example without its last member: what a
    /// client that leaves out a required field gets.
    static func issuesOfIncompleteExample(_ kind: EventKind, location: [ValidationIssue.Location]) -> JSONValue {
        var body = kind.schema.examples()[0].body
        body.entries.removeLast()
        guard case .failure(let failure) = EventDecoder.validate(.object(body), as: kind, location: location),
            case .object(let answer)? = try? JSONParser.parse(failure.fastAPIBody),
            let detail = answer["detail"]
        else {
            preconditionFailure("the minimal \(kind) example without a required field passed validation")
        }
        return detail
    }

    // MARK: The event schemas

    /// The schema of one kind: its table's fields as properties, nothing else allowed.
    private static func eventSchema(_ schema: EventSchema) -> JSONValue {
        [
            "title": .string(schema.title),
            "description": .string(schema.description),
            "type": "object",
            "required": .array(schema.fields.filter(\.isRequired).map { .string($0.name) }),
            "additionalProperties": false,
            "properties": .object(JSONObject(schema.fields.map { (key: $0.name, value: property($0)) })),
        ]
    }

    /// One field as a JSON Schema. An optional field may also be `null` (the decoder reads it as absent).
    private static func property(_ field: EventField) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        func add(_ key: String, _ value: JSONValue) {
            members.append((key: key, value: value))
        }
        func type(_ name: JSONValue) -> JSONValue {
            field.isRequired ? name : [name, "null"]
        }
        switch field.rule {
        case .string(let minLength, let maxLength):
            add("type", type("string"))
            add("minLength", .number(JSONNumber(Int64(minLength))))
            add("maxLength", .number(JSONNumber(Int64(maxLength))))
        case .integer(let minimum):
            add("type", type("integer"))
            add("format", "int64")
            add("minimum", .number(JSONNumber(minimum)))
        case .number(let exclusiveMinimum):
            add("type", type("number"))
            add("exclusiveMinimum", .number(JSONNumber(exclusiveMinimum)))
        case .boolean:
            add("type", type("boolean"))
        case .falseOnly:
            add("type", type("boolean"))
            add("enum", field.isRequired ? [false] : [false, .null])
            if !field.isRequired { add("default", false) }
        case .timestamp:
            return schema(componentName(of: field))
        }
        if let pattern = field.pattern { add("pattern", .string(pattern)) }
        add("description", .string(field.description))
        return .object(JSONObject(members))
    }

    /// `EventTimestamp` for `timestamp`: where a timestamp field's schema is kept.
    private static func componentName(of field: EventField) -> String {
        "Event" + field.name.prefix(1).uppercased() + field.name.dropFirst()
    }

    /// A timestamp field's schema: its string form, its integer form, or null when it is optional.
    private static func timestampSchema(_ field: EventField, range: ClosedRange<Int64>) -> JSONValue {
        let strings = field.examples.compactMap { example -> String? in
            if case .string(let text) = example.value { return "`\(text)`" } else { return nil }
        }
        var string: [(key: String, value: JSONValue)] = [
            (key: "type", value: "string"),
            (key: "format", value: "date-time"),
            (key: "description", value: .string("RFC 3339 date-time with an offset, such as \(strings.joined(separator: " or ")).")),
        ]
        if let pattern = field.pattern {
            string.append((key: "pattern", value: .string(pattern)))
        }
        var forms: [JSONValue] = [
            .object(JSONObject(string)),
            [
                "type": "integer",
                "format": "int64",
                "minimum": .number(JSONNumber(range.lowerBound)),
                "description": "Milliseconds since the Unix epoch, 1970-01-01T00:00:00Z.",
                "maximum": .number(JSONNumber(range.upperBound)),
            ],
        ]
        if !field.isRequired {
            forms.append(["type": "null"])
        }
        let bounds = "From \(RFC3339.format(millis: range.lowerBound)) to \(RFC3339.format(millis: range.upperBound))."
        return [
            "title": .string(componentName(of: field)),
            "description": .string(field.description + " " + bounds),
            "oneOf": .array(forms),
        ]
    }
}
