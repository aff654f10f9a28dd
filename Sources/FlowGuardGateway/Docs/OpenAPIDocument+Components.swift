import FlowGuardEvents
import FlowGuardJSON

extension OpenAPIDocument {
    /// The schemas of the answers: acceptance, errors, service information, batch results.
    static var responseSchemas: [(key: String, value: JSONValue)] {
        [
            (
                key: "Accepted",
                value: object(
                    [
                        "status": [
                            "type": "string",
                            "enum": ["accepted", "duplicate"],
                            "description": "`accepted` for a new event (202); `duplicate` for a retry of an event already stored (200, `X-Duplicate: true`), with the original's partition and offset.",
                        ],
                        "event_id": scalar("string", "The event's id, as the client sent it."),
                        "event_type": ["type": "string", "enum": .array(EventKind.allCases.map { .string($0.rawValue) })],
                        "topic": scalar("string", "The Kafka topic the event was written to."),
                        "partition": scalar("integer", minimum: 0, "The partition of that topic."),
                        "offset": scalar("integer", format: "int64", minimum: 0, "The record's offset in that partition."),
                    ],
                    required: ["status", "event_id", "event_type", "topic", "partition", "offset"],
                    ["title": "Accepted", "description": "Where Kafka stored the event."]
                )
            ),
            (
                key: "Error",
                value: object(
                    ["detail": scalar("string", "What went wrong.")],
                    required: ["detail"],
                    [
                        "title": "Error",
                        "description": "FastAPI's error body. Some errors add properties, such as `byte_offset`, `retry_after` or `stored`.",
                        "additionalProperties": true,
                    ]
                )
            ),
            (
                key: "MalformedJSONError",
                value: error(
                    "MalformedJSONError", "The body is not well-formed JSON.",
                    adding: "byte_offset", scalar("integer", minimum: 0, "Offset in the body, in bytes from 0, where parsing failed.")
                )
            ),
            (
                key: "KafkaUnavailableError",
                value: error(
                    "KafkaUnavailableError", "Kafka cannot take the event now; nothing was stored.",
                    adding: "retry_after", scalar("integer", minimum: 0, "Seconds to wait before retrying; the same as the `Retry-After` header.")
                )
            ),
            (
                key: "KafkaTimeoutError",
                value: error(
                    "KafkaTimeoutError", "Kafka did not acknowledge the event in time. It may or may not have been stored.",
                    adding: "stored",
                    ["type": "string", "const": "unknown", "description": "Whether the event was stored is not known: retry with the same event id."]
                )
            ),
            (
                key: "ValidationError",
                value: object(
                    [
                        "loc": [
                            "type": "array",
                            "description": #"Where the problem is, such as `["body", "price"]`."#,
                            "items": ["anyOf": [["type": "string"], ["type": "integer"]]],
                        ],
                        "msg": scalar("string", "What is wrong, for a person."),
                        "type": scalar("string", "What is wrong, for a program, such as `missing` or `greater_than`."),
                    ],
                    required: ["loc", "msg", "type"],
                    ["title": "ValidationError", "description": "One way in which the body breaks its schema."]
                )
            ),
            (
                key: "HTTPValidationError",
                value: object(
                    ["detail": ["type": "array", "items": schema("ValidationError")]],
                    required: ["detail"],
                    ["title": "HTTPValidationError", "description": "The body is JSON but breaks its schema; FastAPI's 422 body."]
                )
            ),
            (key: "ServiceInfo", value: serviceInfo),
            (key: "Health", value: health),
            (key: "KafkaHealth", value: kafkaHealth),
            (
                key: "TopicHealth",
                value: object(
                    [
                        "partitions": scalar("integer", minimum: 0, "Partitions of the topic."),
                        "partitions_without_leader": scalar("integer", minimum: 1, "Partitions that have no leader now; present only then."),
                    ],
                    required: ["partitions"],
                    ["title": "TopicHealth"]
                )
            ),
            (key: "Liveness", value: object(["status": ["type": "string", "const": "alive"]], required: ["status"], ["title": "Liveness"])),
            (
                key: "ProducerStats",
                value: [
                    "title": "ProducerStats",
                    "description": "The Kafka producer's statistics. Free-form: keys may be added between versions.",
                    "type": "object",
                    "additionalProperties": true,
                ]
            ),
            (
                key: "ConflictError",
                value: object(["detail": ["type": "string"], "event_id": ["type": "string"]], required: ["detail", "event_id"], ["title": "ConflictError"])
            ),
            (
                key: "MalformedBatchError",
                value: object(
                    [
                        "detail": ["type": "string"],
                        "byte_offset": scalar("integer", minimum: 0, "For a JSON array body: where parsing failed."),
                        "line": scalar("integer", minimum: 1, "For an NDJSON body: the broken line."),
                    ],
                    required: ["detail"],
                    ["title": "MalformedBatchError"]
                )
            ),
            (key: "BatchItemResult", value: batchItemResult),
            (key: "BatchResult", value: batchResult),
        ]
    }

    /// ``Error`` with one more required property.
    private static func error(_ title: String, _ description: String, adding name: String, _ property: JSONValue) -> JSONValue {
        [
            "title": .string(title),
            "description": .string(description),
            "allOf": [schema("Error"), ["type": "object", "required": [.string(name)], "properties": [name: property]]],
        ]
    }

    private static let serviceInfo = object(
        [
            "service": ["type": "string", "const": "flowguard"],
            "version": scalar("string", "The gateway's version."),
            "uptime_seconds": scalar("number", minimum: 0, "Seconds since the gateway started."),
            "kafka": object(
                [
                    "bootstrap": scalar("string", "The bootstrap servers the producer connects to."),
                    "embedded": scalar("boolean", "Whether the gateway runs its own embedded Kafka cluster."),
                ],
                required: ["bootstrap", "embedded"]
            ),
            "links": object(
                [
                    "docs": ["type": "string", "const": "/docs"],
                    "redoc": ["type": "string", "const": "/redoc"],
                    "health": ["type": "string", "const": "/health"],
                    "metrics": ["type": "string", "const": "/metrics"],
                    "openapi": ["type": "string", "const": "/openapi.json"],
                ],
                required: ["docs", "redoc", "health", "metrics", "openapi"]
            ),
        ],
        required: ["service", "version", "uptime_seconds", "kafka", "links"],
        ["title": "ServiceInfo"]
    )

    private static let health = object(
        [
            "status": ["type": "string", "enum": ["healthy", "unhealthy"]],
            "reason": scalar("string", "Why the gateway is unhealthy; present only then."),
            "kafka": schema("KafkaHealth"),
            "uptime_seconds": scalar("number", minimum: 0, "Seconds since the gateway started."),
            "in_flight": scalar("integer", minimum: 0, "Events waiting for Kafka's acknowledgement now."),
        ],
        required: ["status", "kafka", "uptime_seconds"],
        ["title": "Health"]
    )

    private static let kafkaHealth = object(
        [
            "connected": scalar("boolean", "Whether the producer reaches at least one broker."),
            "brokers": scalar("integer", minimum: 0, "Brokers in the latest cluster metadata."),
            "topics": [
                "type": "object",
                "description": "The gateway's topics by name.",
                "additionalProperties": schema("TopicHealth"),
            ],
            "embedded": scalar("boolean", "Whether the gateway runs its own embedded Kafka cluster."),
            "metadata_age_seconds": scalar("number", minimum: 0, "Seconds since the cluster metadata was last refreshed; absent before the first refresh."),
        ],
        required: ["connected", "brokers", "topics"],
        ["title": "KafkaHealth", "description": "The producer's view of the Kafka cluster."]
    )

    private static let batchItemResult = object(
        [
            "index": scalar("integer", minimum: 0, "Position of the event in the batch."),
            "status": ["type": "integer", "enum": [200, 202, 409, 422, 503, 504], "description": "What the same event would have got on its own."],
            "event_id": ["type": "string"],
            "partition": scalar("integer", minimum: 0),
            "offset": scalar("integer", format: "int64", minimum: 0),
            "duplicate": ["type": "boolean"],
            "detail": ["oneOf": [["type": "string"], ["type": "array", "items": schema("ValidationError")]]],
            "retry_after": scalar("integer", minimum: 1),
            "stored": ["type": "string", "const": "unknown"],
        ],
        required: ["index", "status"],
        ["title": "BatchItemResult"]
    )

    private static let batchResult = object(
        [
            "summary": object(
                [
                    "accepted": scalar("integer", minimum: 0, "Stored (202) or already stored (200)."),
                    "rejected": scalar("integer", minimum: 0, "Invalid (422)."),
                    "failed": scalar("integer", minimum: 0, "Valid but not stored: 409, 503 or 504."),
                ],
                required: ["accepted", "rejected", "failed"]
            ),
            "results": ["type": "array", "items": schema("BatchItemResult"), "description": "One result per input event, in input order."],
        ],
        required: ["summary", "results"],
        ["title": "BatchResult"]
    )

    // MARK: Parameters, headers, responses, security

    static let parameters: JSONValue = [
        "XRequestID": [
            "name": "X-Request-ID",
            "in": "header",
            "required": false,
            "description": .string(
                "An id to trace this request by; the answer carries it back. An id of 1 to \(RequestIDMiddleware.maxLength) visible ASCII characters is used as given; anything else (or none) is replaced by an id the gateway makes."
            ),
            "schema": ["type": "string"],
        ]
    ]

    static let headers: JSONValue = [
        "X-Request-ID": [
            "description": "The request's id: the client's `X-Request-ID`, or one the gateway made.",
            "schema": ["type": "string", "maxLength": .number(JSONNumber(Int64(RequestIDMiddleware.maxLength)))],
        ],
        "Retry-After": ["description": "Seconds to wait before retrying.", "schema": scalar("integer", minimum: 0)],
        "X-Duplicate": [
            "description": "`true` when the event is a retry of one already stored: it was not produced again.",
            "schema": ["type": "string", "const": "true"],
        ],
    ]

    /// The answers several operations share.
    static var responses: [(key: String, value: JSONValue)] {
        let retryAfter: JSONValue = ["Retry-After": ref("headers", "Retry-After")]
        let order = EventSchema.order.examples()[0]
        return [
            (
                key: "MalformedJSON",
                value: answer(
                    "The body is not well-formed JSON.", "MalformedJSONError",
                    ["detail": "expected ',' or '}' after object member", "byte_offset": 57]
                )
            ),
            (
                key: "Unauthorized",
                value: answer(
                    "API keys are configured and the request has no valid `X-API-Key` or `Authorization: Bearer` key.", "Error",
                    ["detail": "Missing or invalid API key"]
                )
            ),
            (key: "PayloadTooLarge", value: answer("The body is larger than the gateway's limit.", "Error", ["detail": "Request body too large"])),
            (
                key: "UnsupportedMediaType",
                value: answer("The `Content-Type` is not `application/json`.", "Error", ["detail": "Content-Type must be application/json"])
            ),
            (
                key: "ValidationFailed",
                value: answer(
                    "The body is JSON but breaks the event's schema.", "HTTPValidationError",
                    ["detail": issuesOfIncompleteExample(.order, location: ["body"])]
                )
            ),
            (
                key: "KafkaUnavailable",
                value: answer(
                    "Kafka cannot take the event now (no broker reachable, or the producer queue is full). Nothing was stored; retry after `Retry-After` seconds.",
                    "KafkaUnavailableError", ["detail": "Kafka is unavailable", "retry_after": 1], headers: retryAfter
                )
            ),
            (
                key: "BatchBusy",
                value: answer(
                    "Too many batches in progress (`--max-concurrent-batches`), and this one waited longer than `--max-delivery-latency` for its turn. Nothing was stored; retry after `Retry-After` seconds.",
                    "KafkaUnavailableError",
                    ["detail": "Too many batches in progress (4 at once); none of this batch's events was stored", "retry_after": 1],
                    headers: retryAfter
                )
            ),
            (
                key: "KafkaTimeout",
                value: answer(
                    "Kafka did not acknowledge the event in time. It may or may not have been stored: retry with the same event id.",
                    "KafkaTimeoutError", ["detail": "Kafka did not acknowledge the event in time", "stored": "unknown"]
                )
            ),
            (
                key: "NotFound",
                value: answer("No such path. Every path not listed in this document answers this.", "Error", ["detail": "Not Found"])
            ),
            (
                key: "MethodNotAllowed",
                value: answer(
                    "The path exists but not with this method. Every listed path answers this to a method it does not list.", "Error",
                    ["detail": "Method Not Allowed"]
                )
            ),
            (
                key: "Duplicate",
                value: answer(
                    "A retry of an event this gateway already stored within the deduplication window (default 15 minutes, per gateway instance): not produced again; the original's partition and offset.",
                    "Accepted",
                    [
                        "status": "duplicate", "event_id": .string(order.eventID), "event_type": .string(EventKind.order.rawValue),
                        "topic": .string(EventKind.order.topic), "partition": 1, "offset": 42,
                    ],
                    headers: ["X-Request-ID": ref("headers", "X-Request-ID"), "X-Duplicate": ref("headers", "X-Duplicate")]
                )
            ),
            (
                key: "Conflict",
                value: answer(
                    "The event id was already accepted with different content; nothing was produced.", "ConflictError",
                    ["detail": .string("event_id '\(order.eventID)' was already accepted with different content"), "event_id": .string(order.eventID)]
                )
            ),
            (
                key: "MalformedBatch",
                value: answer(
                    "The batch body is not a JSON array, or an NDJSON line is not JSON; nothing was produced.", "MalformedBatchError",
                    ["detail": "Malformed JSON on line 2 at byte 1: expected a value", "line": 2]
                )
            ),
        ]
    }

    /// A shared answer: its description, the schema of its JSON body, an example, and any headers.
    private static func answer(_ description: String, _ schemaName: String, _ example: JSONValue, headers: JSONValue? = nil) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [(key: "description", value: .string(description))]
        if let headers {
            members.append((key: "headers", value: headers))
        }
        members.append((key: "content", value: jsonContent(schema(schemaName), example: example)))
        return .object(JSONObject(members))
    }

    static let securitySchemes: JSONValue = [
        "ApiKeyAuth": [
            "type": "apiKey",
            "in": "header",
            "name": "X-API-Key",
            "description": "One of the configured API keys. Needed only when keys are configured.",
        ],
        "BearerAuth": [
            "type": "http",
            "scheme": "bearer",
            "description": "One of the configured API keys as `Authorization: Bearer <key>`. Needed only when keys are configured.",
        ],
    ]
}
