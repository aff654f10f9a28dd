import FlowGuardJSON

extension OpenAPIDocument {
    /// The service and documentation paths, in ``GatewayRoutes/serviceRoutes`` order.
    static var servicePaths: [(key: String, value: JSONValue)] {
        [
            (key: "/", value: ["get": serviceInfo]),
            (key: "/health", value: ["get": health]),
            (key: "/health/live", value: ["get": liveness]),
            (key: "/metrics", value: ["get": metrics]),
            (
                key: "/openapi.json",
                value: [
                    "get": [
                        "tags": ["docs"],
                        "operationId": "getOpenAPIDocument",
                        "summary": "This OpenAPI 3.1 document",
                        "responses": [
                            "200": ["description": "The OpenAPI document.", "content": jsonContent(scalar("object", "An OpenAPI 3.1.0 document."))]
                        ],
                    ]
                ]
            ),
            (
                key: "/docs",
                value: ["get": page("getDocsPage", "Interactive API documentation", "A page that renders this document and can send each example to the gateway.")]
            ),
            (
                key: "/redoc",
                value: ["get": page("getRedocPage", "Read-only API reference", "A page that lays out this document as a reference: endpoints, their schemas, and examples.")]
            ),
        ]
    }

    private static let serviceInfo: JSONValue = [
        "tags": ["service"],
        "operationId": "getServiceInfo",
        "summary": "Service information",
        "description": "Names the service and its version, the Kafka cluster it writes to, and where the other endpoints are.",
        "responses": [
            "200": [
                "description": "Service information.",
                "content": jsonContent(
                    schema("ServiceInfo"),
                    example: [
                        "service": "flowguard",
                        "version": "0.1.0",
                        "uptime_seconds": 3600.5,
                        "kafka": ["bootstrap": "127.0.0.1:9092", "embedded": false],
                        "links": ["docs": "/docs", "redoc": "/redoc", "health": "/health", "metrics": "/metrics", "openapi": "/openapi.json"],
                    ]
                ),
            ]
        ],
    ]

    private static let health: JSONValue = [
        "tags": ["service"],
        "operationId": "getHealth",
        "summary": "Readiness: can the gateway reach Kafka",
        "description": "Reports whether the producer is connected to Kafka, how many brokers and which topics it sees, and how old that metadata is. Answers 503 when events cannot be accepted, so a load balancer can take the instance out of rotation.",
        "responses": [
            "200": [
                "description": "The gateway can accept events.",
                "content": jsonContent(
                    schema("Health"),
                    example: [
                        "status": "healthy",
                        "kafka": [
                            "connected": true,
                            "brokers": 3,
                            "topics": ["raw.orders.v1": ["partitions": 3], "raw.clicks.v1": ["partitions": 6]],
                            "embedded": false,
                            "metadata_age_seconds": 2.4,
                        ],
                        "uptime_seconds": 3600.5,
                        "in_flight": 0,
                    ]
                ),
            ],
            "503": [
                "description": "The gateway cannot accept events now; `reason` says why.",
                "content": jsonContent(
                    ["allOf": [schema("Health"), ["type": "object", "required": ["reason"], "properties": ["status": ["const": "unhealthy"]]]]],
                    example: [
                        "status": "unhealthy",
                        "kafka": ["connected": false, "brokers": 0, "topics": [:], "embedded": false, "metadata_age_seconds": 31.0],
                        "uptime_seconds": 12.0,
                        "in_flight": 0,
                        "reason": "no Kafka broker reachable",
                    ]
                ),
            ],
        ],
    ]

    private static let liveness: JSONValue = [
        "tags": ["service"],
        "operationId": "getLiveness",
        "summary": "Liveness: is the process answering",
        "description": "Answers as long as the HTTP server runs, whatever the state of Kafka.",
        "responses": [
            "200": ["description": "The process is alive.", "content": jsonContent(schema("Liveness"), example: ["status": "alive"])]
        ],
    ]

    private static let metrics: JSONValue = [
        "tags": ["service"],
        "operationId": "getMetrics",
        "summary": "Metrics in Prometheus text format, or producer statistics as JSON",
        "description": "By default the Prometheus text exposition format 0.0.4. With `Accept: application/json` or `?format=json` the answer is instead a JSON object of producer statistics, whose keys may grow between versions.",
        "parameters": [
            [
                "name": "format",
                "in": "query",
                "required": false,
                "description": "`json` asks for the producer statistics as JSON, like `Accept: application/json`; `prometheus` (the default) for the text format. Any other value is a 400.",
                "schema": ["type": "string", "enum": ["json", "prometheus"]],
            ]
        ],
        "responses": [
            "200": [
                "description": "The metrics.",
                "content": [
                    "text/plain; version=0.0.4": ["schema": scalar("string", "Prometheus text exposition format 0.0.4.")],
                    "application/json": ["schema": schema("ProducerStats")],
                ],
            ],
            "400": ["description": "An unknown `format`.", "content": jsonContent(schema("Error"))],
        ],
    ]

    /// A `GET` of an HTML page.
    private static func page(_ operationID: String, _ summary: String, _ description: String) -> JSONValue {
        [
            "tags": ["docs"],
            "operationId": .string(operationID),
            "summary": .string(summary),
            "description": .string(description),
            "responses": ["200": ["description": "The page.", "content": ["text/html": ["schema": ["type": "string"]]]]],
        ]
    }
}
