import FlowGuardJSON
import FlowGuardSupport

/// The console's own OpenAPI 3.1 document (`/api/openapi.json`): every API path, its parameters
/// and answers. Errors are `{"detail": "..."}` everywhere.
enum ConsoleOpenAPI {
    static let document: JSONValue = [
        "openapi": "3.1.0",
        "info": [
            "title": "FlowGuard console API",
            "version": .string(FlowGuardVersion.current),
            "description": "The data behind every page of `flowguard console`. With --api-keys-file every call needs X-API-Key or Authorization: Bearer. Writes also need the X-CSRF-Token header (from /api/session) and are refused with --read-only.",
        ],
        "paths": [
            "/api/session": ["get": operation("The CSRF token writes carry, and whether the console is read-only", ref: "Session")],
            "/api/overview": ["get": operation("Brokers, counts, under-replicated and leaderless partitions, the gateway's health", ref: "Overview")],
            "/api/topics": [
                "get": operation(
                    "Every topic with its partitions, replication, watermarks, message count and drift against topics.yaml", ref: "Topics",
                    parameters: [
                        query("q", "only topics whose name contains this"), query("internal", "1 to include internal topics"),
                        query("sort", "name, partitions, replication, under_replicated, low, high or messages"), query("dir", "asc or desc"),
                    ]
                ),
            ],
            "/api/topics/{topic}": ["get": operation("Per partition its leader, replicas, ISR and offsets; the groups reading the topic", ref: "Topic", parameters: [path("topic")])],
            "/api/topics/{topic}/messages": [
                "get": operation("Records found by seeking; records are `flowguard tail --format json` objects", ref: "Messages", parameters: [path("topic")] + messageParameters),
            ],
            "/api/topics/{topic}/messages.ndjson": [
                "get": [
                    "summary": "The same records as NDJSON, one `flowguard tail --format json` line each",
                    "parameters": .array([path("topic")] + messageParameters),
                    "responses": ["200": ["description": "NDJSON", "content": ["application/x-ndjson": ["schema": ["type": "string"]]]], "400": error, "404": error, "503": error],
                ],
            ],
            "/api/topics/{topic}/records/{partition}/{offset}": [
                "get": operation("One record", ref: "Record", parameters: [path("topic"), path("partition", integer: true), path("offset", integer: true)]),
            ],
            "/api/topics/{topic}/live": [
                "get": [
                    "summary": "Server-sent events: `event: ready` once reading started, then one `data:` line per new record",
                    "parameters": [path("topic"), query("partition", "a partition number or all")],
                    "responses": ["200": ["description": "an event stream", "content": ["text/event-stream": ["schema": ["type": "string"]]]], "400": error, "404": error, "503": error],
                ],
            ],
            "/api/groups": ["get": operation("Consumer groups with committed offsets and lag; partial_reason says when the list is partial", ref: "Groups")],
            "/api/groups/{group}": ["get": operation("One group", ref: "Group", parameters: [path("group")])],
            "/api/groups/{group}/reset": [
                "post": [
                    "summary": "Moves a group's committed offsets of one topic (only while the group has no members)",
                    "parameters": [path("group"), csrf],
                    "requestBody": [
                        "required": true,
                        "content": ["application/json": ["schema": [
                            "type": "object", "required": ["topic", "to"],
                            "properties": [
                                "topic": ["type": "string"], "partition": ["type": "integer", "minimum": 0],
                                "to": ["enum": ["earliest", "latest", "timestamp", "offset"]],
                                "value": ["type": ["string", "integer"], "description": "the offset, or the time (RFC 3339 or ms since the epoch)"],
                            ],
                        ]]],
                    ],
                    "responses": ["200": ["description": "the new offsets", "content": ["application/json": ["schema": ["type": "object"]]]], "400": error, "403": error, "404": error, "409": error, "503": error],
                ],
            ],
            "/api/attribution": [
                "get": operation(
                    "What `flowguard attribute` credited in a time range, by the records of its output topic: orders and revenue by model, conversions and revenue by ad",
                    ref: "Attribution",
                    parameters: [
                        query("since", "how far back from now, by the records' timestamps: a duration such as 1h, 24h (default) or 7d"),
                        query("top", "ads listed one by one, by revenue, 1 to 1000 (default 20); the others are summed in other_ads"),
                    ]
                ),
            ],
            "/api/produce": [
                "post": [
                    "summary": "Sends one record straight to Kafka (via=kafka, the default), or through the gateway's endpoint of an event kind (via=order, click or impression; gateway for the topic's only kind)",
                    "parameters": [csrf],
                    "requestBody": [
                        "required": true,
                        "content": ["application/json": ["schema": [
                            "type": "object", "required": ["topic", "value"],
                            "properties": [
                                "topic": ["type": "string"], "partition": ["type": "integer", "minimum": 0], "key": ["type": "string"],
                                "headers": ["type": "object", "additionalProperties": ["type": "string"]],
                                "value": ["description": "a string is sent as is, anything else as its JSON"],
                                "via": ["enum": ["kafka", "gateway", "order", "click", "impression"]],
                            ],
                        ]]],
                    ],
                    "responses": [
                        "200": ["description": "where it was stored, or the gateway's acceptance", "content": ["application/json": ["schema": ["type": "object"]]]],
                        "400": error, "403": error, "404": error,
                        "4XX": ["description": "the gateway refused the event: its status, with its answer", "content": ["application/json": ["schema": ["type": "object"]]]],
                        "503": error,
                    ],
                ],
            ],
        ],
        "components": [
            "schemas": [
                "Error": ["type": "object", "required": ["detail"], "properties": ["detail": ["type": "string"]]],
                "Metadata": [
                    "type": "object",
                    "description": "How old the cluster metadata behind the answer is; stale when Kafka did not answer and an older copy is shown",
                    "properties": ["fetched_at": ["type": "string"], "age_seconds": ["type": "integer"], "stale": ["type": "boolean"], "stale_reason": ["type": ["string", "null"]]],
                ],
                "Record": [
                    "type": "object", "description": "as `flowguard tail --format json` prints it",
                    "required": ["topic", "partition", "offset", "timestamp", "key", "headers", "value"],
                    "properties": [
                        "topic": ["type": "string"], "partition": ["type": "integer"], "offset": ["type": "integer"],
                        "timestamp": ["type": ["string", "null"]], "key": ["type": ["string", "null"]],
                        "headers": ["type": "object", "additionalProperties": ["type": ["string", "null"]]],
                        "value": ["description": "the value parsed as JSON when it is JSON, else its text"],
                    ],
                ],
                "Session": ["type": "object", "properties": ["csrf_token": ["type": "string"], "read_only": ["type": "boolean"]]],
                "Overview": ["type": "object", "properties": [
                    "bootstrap": ["type": "string"], "brokers": ["type": "array"], "topics": ["type": "integer"], "partitions": ["type": "integer"],
                    "messages": ["type": "integer"], "under_replicated_partitions": ["type": "integer"], "leaderless_partitions": ["type": "integer"],
                    "gateway": ["type": ["object", "null"]], "metadata": ["$ref": "#/components/schemas/Metadata"],
                ]],
                "Topics": ["type": "object", "properties": ["topics": ["type": "array", "items": ["type": "object"]], "metadata": ["$ref": "#/components/schemas/Metadata"]]],
                "Topic": ["type": "object", "properties": ["name": ["type": "string"], "partition_details": ["type": "array"], "groups": ["type": "object"]]],
                "Messages": ["type": "object", "properties": [
                    "topic": ["type": "string"], "records": ["type": "array", "items": ["$ref": "#/components/schemas/Record"]],
                    "scanned": ["type": "integer"], "scan_limit": ["type": "integer"], "scan_limit_reached": ["type": "boolean"], "complete": ["type": "boolean"],
                    "older": ["type": ["object", "null"], "description": "the query parameters of the page of older records; null at the oldest"],
                    "newer": ["type": ["object", "null"], "description": "the query parameters of the page of newer records; null at the newest"],
                    "partitions": ["type": "array"],
                ]],
                "Attribution": ["type": "object", "properties": [
                    "topic": ["type": "string"], "topic_exists": ["type": "boolean"], "query": ["type": "object"],
                    "from": ["type": "string"], "to": ["type": "string"],
                    "orders": ["type": "integer"], "revenue": ["type": "number"], "attributed_orders": ["type": "integer"], "credited_revenue": ["type": "number"],
                    "models": [
                        "type": "object", "description": "per attribution model (last_click, view_through, none): orders and revenue",
                        "additionalProperties": ["type": "object", "properties": ["orders": ["type": "integer"], "revenue": ["type": "number"]]],
                    ],
                    "ads": ["type": "array", "items": ["$ref": "#/components/schemas/AdConversions"]],
                    "other_ads": ["type": ["object", "null"], "description": "the ads past top, summed; ads is how many"],
                    "ad_count": ["type": "integer"],
                    "unreadable": ["type": "integer", "description": "records that are not an attributed order, skipped"],
                    "duplicates": ["type": "integer", "description": "records of an order already counted (same source_partition and source_offset), skipped"],
                    "topic_records": ["type": "integer"], "range_records": ["type": "integer"], "scanned": ["type": "integer"],
                    "scan_limit": ["type": "integer"], "scan_limit_reached": ["type": "boolean"],
                    "covered_from": ["type": ["string", "null"], "description": "with scan_limit_reached: the oldest record read"],
                    "complete": ["type": "boolean"], "metadata": ["$ref": "#/components/schemas/Metadata"],
                ]],
                "AdConversions": ["type": "object", "properties": [
                    "ad_id": ["type": "string"], "ad_type": ["type": "string"], "conversions": ["type": "integer"], "view_through": ["type": "integer"],
                    "revenue": ["type": "number"], "median_time_to_convert_ms": ["type": ["number", "null"]],
                ]],
                "Groups": ["type": "object", "properties": ["groups": ["type": "array", "items": ["$ref": "#/components/schemas/Group"]], "partial_reason": ["type": ["string", "null"]]]],
                "Group": ["type": "object", "properties": [
                    "id": ["type": "string"], "state": ["type": ["string", "null"]], "members": ["type": ["array", "null"]], "total_lag": ["type": "integer"],
                    "partitions": ["type": "array"],
                ]],
            ],
        ],
    ]

    static let error: JSONValue = ["description": "an error", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]]
    static let csrf: JSONValue = ["name": "X-CSRF-Token", "in": "header", "required": true, "schema": ["type": "string"]]

    static let messageParameters: [JSONValue] = [
        query("partition", "a partition number or all (default)"),
        query("from", "newest (default), oldest, offset, timestamp, or before and after (the older and newer pages of an answer)"),
        query("offset", "with from=offset"), query("timestamp", "with from=timestamp: RFC 3339 or ms since the epoch"),
        query("cursor", "with from=before or from=after: PARTITION:OFFSET pairs joined by commas, as an answer's older and newer give them"),
        query("limit", "records to return, 1 to 1000 (default 50)"), query("key", "key equals"), query("header", "NAME=VALUE: a header equals"),
        query("field", "FIELD=VALUE: a top-level JSON field equals, as tail --filter (repeatable)"), query("contains", "the value contains this text"),
    ]

    static func operation(_ summary: String, ref: String, parameters: [JSONValue] = []) -> JSONValue {
        [
            "summary": .string(summary),
            "parameters": .array(parameters),
            "responses": [
                "200": ["description": "OK", "content": ["application/json": ["schema": ["$ref": .string("#/components/schemas/\(ref)")]]]],
                "400": error, "401": error, "404": error, "503": error,
            ],
        ]
    }

    static func query(_ name: String, _ description: String) -> JSONValue {
        ["name": .string(name), "in": "query", "required": false, "description": .string(description), "schema": ["type": "string"]]
    }

    static func path(_ name: String, integer: Bool = false) -> JSONValue {
        ["name": .string(name), "in": "path", "required": true, "schema": ["type": integer ? "integer" : "string"]]
    }
}
