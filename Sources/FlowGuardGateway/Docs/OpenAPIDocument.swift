import FlowGuardEvents
import FlowGuardJSON

/// The OpenAPI 3.1 document that describes FlowGuard's HTTP API, served at `GET /openapi.json` and read
/// by the `/docs` and `/redoc` pages.
///
/// The event schemas, their examples and the validation errors shown come from the events'
/// ``EventSchema`` tables and the decoder; what is written here describes the endpoints around them.
/// `docs/openapi.json` is a snapshot of the served document that a test compares it with.
public enum OpenAPIDocument {
    /// The document as JSON text, indented for people to read.
    /// - Parameter version: The gateway's version, written to `info.version`.
    /// - Returns: A complete OpenAPI 3.1.0 document.
    public static func json(version: String) -> String {
        String(decoding: JSONWriter.serializeIndented(document(version: version)), as: UTF8.self) + "\n"
    }

    /// The document as a JSON value.
    /// - Parameter version: The gateway's version, written to `info.version`.
    static func document(version: String) -> JSONValue {
        [
            "openapi": "3.1.0",
            "info": [
                "title": "FlowGuard events gateway",
                "version": .string(version),
                "summary": "Takes order, ad-click and ad-impression events over HTTP and writes each one to Kafka.",
                "description": .string(introduction),
            ],
            "tags": [
                ["name": "events", "description": "Event ingestion. Each accepted event has been acknowledged by Kafka (acks=all) before the 202."],
                ["name": "service", "description": "Service information, health checks and metrics."],
                ["name": "docs", "description": "This document and the pages that display it."],
            ],
            "paths": .object(JSONObject(eventPaths + servicePaths)),
            "components": [
                "schemas": .object(JSONObject(eventSchemas + responseSchemas)),
                "parameters": parameters,
                "headers": headers,
                "responses": .object(JSONObject(responses)),
                "securitySchemes": securitySchemes,
            ],
        ]
    }

    private static var introduction: String {
        let topics = "`\(EventKind.order.topic)` for orders and `\(EventKind.click.topic)` for clicks and impressions"
        return """
            FlowGuard is the HTTP front door of the event pipeline. Clients POST order, click and impression events as JSON; the gateway validates each event against the schemas below and produces it to its Kafka topic (by default \(topics)).

            **Every accepted event is durable.** The producer runs with `acks=all`: a `202 Accepted` is sent only after Kafka has acknowledged the record on all in-sync replicas, and the answer names the topic, partition and offset where it was stored. When Kafka cannot take the event the answer is `503` with a `Retry-After` header; when the acknowledgement does not arrive in time it is `504` and the event may or may not have been stored, so retry with the same event id.

            **Errors** have FastAPI's shape: a JSON object with a `detail` string, or for a schema violation `422` with a list of `{loc, msg, type}`. An unknown path answers `404 {"detail": "Not Found"}` and a known path with the wrong method `405 {"detail": "Method Not Allowed"}`.

            **Request ids.** Send an `X-Request-ID` header (at most \(RequestIDMiddleware.maxLength) characters) to trace a request; the answer carries it back, or an id the gateway made.

            **Authentication** is off unless API keys are configured. Then the event endpoints need `X-API-Key: <key>` or `Authorization: Bearer <key>` and answer `401` without one.
            """
    }

    // MARK: Pieces every part uses

    /// `{"$ref": "#/components/<section>/<name>"}`.
    static func ref(_ section: String, _ name: String) -> JSONValue {
        ["$ref": .string("#/components/\(section)/\(name)")]
    }

    /// A reference to a schema of `components.schemas`.
    static func schema(_ name: String) -> JSONValue {
        ref("schemas", name)
    }

    /// The `content` of a JSON body with its schema and, when given, its one example.
    static func jsonContent(_ schema: JSONValue, example: JSONValue? = nil) -> JSONValue {
        var media: [(key: String, value: JSONValue)] = [(key: "schema", value: schema)]
        if let example {
            media.append((key: "example", value: example))
        }
        return ["application/json": .object(JSONObject(media))]
    }

    /// An object schema: its properties in order, the names of the required ones, and anything
    /// else (`title`, `description`, `additionalProperties`) before them.
    static func object(
        _ properties: KeyValuePairs<String, JSONValue>,
        required: [String],
        _ attributes: KeyValuePairs<String, JSONValue> = [:]
    ) -> JSONValue {
        var members = attributes.map { (key: $0.key, value: $0.value) }
        members.append((key: "type", value: "object"))
        members.append((key: "required", value: .array(required.map(JSONValue.string))))
        members.append((key: "properties", value: .object(JSONObject(properties.map { (key: $0.key, value: $0.value) }))))
        return .object(JSONObject(members))
    }

    /// `{"type": <type>, "minimum": <minimum>, "description": <description>}` without the parts not given.
    static func scalar(_ type: String, format: String? = nil, minimum: Int64? = nil, _ description: String? = nil) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [(key: "type", value: .string(type))]
        if let format { members.append((key: "format", value: .string(format))) }
        if let minimum { members.append((key: "minimum", value: .number(JSONNumber(minimum)))) }
        if let description { members.append((key: "description", value: .string(description))) }
        return .object(JSONObject(members))
    }

    /// The `security` of an event endpoint: an API key in either header, or none when no keys are configured.
    static let eventSecurity: JSONValue = [["ApiKeyAuth": []], ["BearerAuth": []], [:]]

    /// The `parameters` of an event endpoint.
    static let eventParameters: JSONValue = [ref("parameters", "XRequestID")]

    /// `headers` with `X-Request-ID`, which every event answer carries.
    static let requestIDHeader: JSONValue = ["X-Request-ID": ref("headers", "X-Request-ID")]
}
