/// The OpenAPI 3.1 document that describes FlowGuard's HTTP API, served at `GET /openapi.json` and read
/// by the `/docs` and `/redoc` pages.
public enum OpenAPIDocument {
    /// The document as JSON text.
    /// - Parameter version: The gateway's version, written to `info.version`.
    /// - Returns: A complete OpenAPI 3.1.0 document.
    public static func json(version: String) -> String {
        template.replacing(versionPlaceholder, with: jsonStringContents(version))
    }

    /// Stands in the template for the version, which is only known at run time.
    static let versionPlaceholder = "@FLOWGUARD_VERSION@"

    /// `value` escaped to sit between the quotes of a JSON string.
    static func jsonStringContents(_ value: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// The document with ``versionPlaceholder`` where `info.version` goes. Every request example in it
    /// is valid under its schema: tests POST them and expect 202.
    static let template = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "FlowGuard events gateway",
    "version": "@FLOWGUARD_VERSION@",
    "summary": "Takes order, ad-click and ad-impression events over HTTP and writes each one to Kafka.",
    "description": "FlowGuard is the HTTP front door of the event pipeline. Clients POST order, click and impression events as JSON; the gateway validates each event against the schemas below and produces it to its Kafka topic (by default `raw.orders.v1` for orders and `raw.clicks.v1` for clicks and impressions).\n\n**Every accepted event is durable.** The producer runs with `acks=all`: a `202 Accepted` is sent only after Kafka has acknowledged the record on all in-sync replicas, and the answer names the topic, partition and offset where it was stored. When Kafka cannot take the event the answer is `503` with a `Retry-After` header; when the acknowledgement does not arrive in time it is `504` and the event may or may not have been stored, so retry with the same `event_id`.\n\n**Errors** have FastAPI's shape: a JSON object with a `detail` string, or for a schema violation `422` with a list of `{loc, msg, type}`. An unknown path answers `404 {\"detail\": \"Not Found\"}` and a known path with the wrong method `405 {\"detail\": \"Method Not Allowed\"}`.\n\n**Request ids.** Send an `X-Request-ID` header (at most 128 characters) to trace a request; the answer carries it back, or an id the gateway made.\n\n**Authentication** is off unless API keys are configured. Then the event endpoints need `X-API-Key: <key>` or `Authorization: Bearer <key>` and answer `401` without one."
  },
  "tags": [
    {
      "name": "events",
      "description": "Event ingestion. Each accepted event has been acknowledged by Kafka (acks=all) before the 202."
    },
    {
      "name": "service",
      "description": "Service information, health checks and metrics."
    },
    {
      "name": "docs",
      "description": "This document and the pages that display it."
    }
  ],
  "paths": {
    "/api/v1/orders": {
      "post": {
        "tags": [
          "events"
        ],
        "operationId": "submitOrder",
        "summary": "Submit an order event",
        "description": "Validates an `OrderEvent` and produces it to the orders topic. The 202 is sent once Kafka has acknowledged the record on all in-sync replicas.",
        "security": [
          {
            "ApiKeyAuth": []
          },
          {
            "BearerAuth": []
          },
          {}
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestID"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/OrderEvent"
              },
              "examples": {
                "minimal": {
                  "summary": "An order without a timestamp",
                  "value": {
                    "event_id": "test_001",
                    "user_id": 1001,
                    "order_id": "ORD-001",
                    "item_id": 501,
                    "item_name": "Biryani",
                    "price": 299.99
                  }
                },
                "with_rfc3339_timestamp": {
                  "summary": "An order with an RFC 3339 event time",
                  "value": {
                    "event_id": "ord-2025-0002",
                    "user_id": 42,
                    "order_id": "ORD-7731",
                    "item_id": 88,
                    "item_name": "Masala Dosa",
                    "price": 149.5,
                    "timestamp": "2025-06-15T12:30:00+05:30"
                  }
                },
                "with_epoch_millis": {
                  "summary": "An order with the event time in epoch milliseconds",
                  "value": {
                    "event_id": "ord-2025-0003",
                    "user_id": 7,
                    "order_id": "ORD-7732",
                    "item_id": 12,
                    "item_name": "Mango Lassi",
                    "price": 80,
                    "timestamp": 1749970800000
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "$ref": "#/components/responses/Duplicate"
          },
          "202": {
            "description": "Kafka acknowledged the event on all in-sync replicas.",
            "headers": {
              "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Accepted"
                },
                "example": {
                  "status": "accepted",
                  "event_id": "test_001",
                  "event_type": "order",
                  "topic": "raw.orders.v1",
                  "partition": 1,
                  "offset": 42
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedJSON"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "$ref": "#/components/responses/ValidationFailed"
          },
          "503": {
            "$ref": "#/components/responses/KafkaUnavailable"
          },
          "504": {
            "$ref": "#/components/responses/KafkaTimeout"
          }
        }
      }
    },
    "/api/v1/orders/batch": {
      "post": {
        "tags": [
          "events"
        ],
        "operationId": "submitOrderBatch",
        "summary": "Submit a batch of orders",
        "description": "Up to `--max-batch` events (default 1000) in a JSON array, or NDJSON with `Content-Type: application/x-ndjson`, at most `--max-batch-body` bytes (default 5 MiB). Each event is validated and produced on its own, exactly as `POST /api/v1/orders` would; the answer lists one result per input index, in order, and comes once every accepted event was acknowledged by Kafka. Invalid events get a 422 result and are never produced. More than `--max-batch` events is a 422 (`too_long`) for the whole request; a body over `--max-batch-body` is a 413. At most `--max-concurrent-batches` batches (default 2 per core) are processed at once; a batch that waits longer than `--max-delivery-latency` for its turn gets 503 and nothing of it is stored.",
        "security": [
          {
            "ApiKeyAuth": []
          },
          {
            "BearerAuth": []
          },
          {}
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestID"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "array",
                "maxItems": 1000,
                "items": {
                  "description": "An event, validated as `OrderEvent` on its own: an invalid item gets a 422 result and does not affect the others."
                },
                "description": "Events to validate as `OrderEvent`."
              },
              "examples": {
                "two_events": {
                  "summary": "Two events in a JSON array",
                  "value": [
                    {
                      "event_id": "test_001-b",
                      "user_id": 1001,
                      "order_id": "ORD-001",
                      "item_id": 501,
                      "item_name": "Biryani",
                      "price": 299.99
                    },
                    {
                      "event_id": "ord-2025-0002-b",
                      "user_id": 42,
                      "order_id": "ORD-7731",
                      "item_id": 88,
                      "item_name": "Masala Dosa",
                      "price": 149.5,
                      "timestamp": "2025-06-15T12:30:00+05:30"
                    }
                  ]
                }
              }
            },
            "application/x-ndjson": {
              "schema": {
                "type": "string",
                "description": "One JSON event per line."
              },
              "examples": {
                "two_lines": {
                  "summary": "Two events as NDJSON",
                  "value": "{\"event_id\":\"test_001-n\",\"user_id\":1001,\"order_id\":\"ORD-001\",\"item_id\":501,\"item_name\":\"Biryani\",\"price\":299.99}\n{\"event_id\":\"ord-2025-0002-n\",\"user_id\":42,\"order_id\":\"ORD-7731\",\"item_id\":88,\"item_name\":\"Masala Dosa\",\"price\":149.5,\"timestamp\":\"2025-06-15T12:30:00+05:30\"}\n"
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "One result per event.",
            "headers": {
              "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BatchResult"
                },
                "example": {
                  "summary": {
                    "accepted": 1,
                    "rejected": 1,
                    "failed": 0
                  },
                  "results": [
                    {
                      "index": 0,
                      "status": 202,
                      "event_id": "test_001-b",
                      "partition": 1,
                      "offset": 43
                    },
                    {
                      "index": 1,
                      "status": 422,
                      "detail": [
                        {
                          "loc": [
                            "body",
                            1,
                            "user_id"
                          ],
                          "msg": "Field required",
                          "type": "missing"
                        }
                      ]
                    }
                  ]
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedBatch"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "$ref": "#/components/responses/ValidationFailed"
          },
          "503": {
            "$ref": "#/components/responses/BatchBusy"
          }
        }
      }
    },
    "/api/v1/clicks": {
      "post": {
        "tags": [
          "events"
        ],
        "operationId": "submitClick",
        "summary": "Submit an ad click event",
        "description": "Validates a `ClickEvent` and produces it to the clicks topic. `is_click` is required here; an event that only records that an ad was shown can also go to `/api/v1/clicks/impression`.",
        "security": [
          {
            "ApiKeyAuth": []
          },
          {
            "BearerAuth": []
          },
          {}
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestID"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ClickEvent"
              },
              "examples": {
                "click": {
                  "summary": "A click on a banner ad",
                  "value": {
                    "event_id": "test_002",
                    "user_id": 1001,
                    "ad_id": "ad_123",
                    "is_click": true,
                    "ad_type": "banner"
                  }
                },
                "with_rfc3339_timestamp": {
                  "summary": "A click with an RFC 3339 event time in UTC",
                  "value": {
                    "event_id": "clk-2025-0002",
                    "user_id": 1002,
                    "ad_id": "ad_456",
                    "is_click": true,
                    "ad_type": "video",
                    "timestamp": "2025-06-15T07:00:00Z"
                  }
                },
                "not_clicked": {
                  "summary": "An ad that was shown and not clicked, with epoch milliseconds",
                  "value": {
                    "event_id": "clk-2025-0003",
                    "user_id": 1003,
                    "ad_id": "ad_789",
                    "is_click": false,
                    "ad_type": "carousel",
                    "timestamp": 1749970800000
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "$ref": "#/components/responses/Duplicate"
          },
          "202": {
            "description": "Kafka acknowledged the event on all in-sync replicas.",
            "headers": {
              "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Accepted"
                },
                "example": {
                  "status": "accepted",
                  "event_id": "test_002",
                  "event_type": "click",
                  "topic": "raw.clicks.v1",
                  "partition": 4,
                  "offset": 1187
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedJSON"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "$ref": "#/components/responses/ValidationFailed"
          },
          "503": {
            "$ref": "#/components/responses/KafkaUnavailable"
          },
          "504": {
            "$ref": "#/components/responses/KafkaTimeout"
          }
        }
      }
    },
    "/api/v1/clicks/batch": {
      "post": {
        "tags": [
          "events"
        ],
        "operationId": "submitClickBatch",
        "summary": "Submit a batch of clicks",
        "description": "Up to `--max-batch` events (default 1000) in a JSON array, or NDJSON with `Content-Type: application/x-ndjson`, at most `--max-batch-body` bytes (default 5 MiB). Each event is validated and produced on its own, exactly as `POST /api/v1/clicks` would; the answer lists one result per input index, in order, and comes once every accepted event was acknowledged by Kafka. Invalid events get a 422 result and are never produced. More than `--max-batch` events is a 422 (`too_long`) for the whole request; a body over `--max-batch-body` is a 413. At most `--max-concurrent-batches` batches (default 2 per core) are processed at once; a batch that waits longer than `--max-delivery-latency` for its turn gets 503 and nothing of it is stored.",
        "security": [
          {
            "ApiKeyAuth": []
          },
          {
            "BearerAuth": []
          },
          {}
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestID"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "array",
                "maxItems": 1000,
                "items": {
                  "description": "An event, validated as `ClickEvent` on its own: an invalid item gets a 422 result and does not affect the others."
                },
                "description": "Events to validate as `ClickEvent`."
              },
              "examples": {
                "two_events": {
                  "summary": "Two events in a JSON array",
                  "value": [
                    {
                      "event_id": "test_002-b",
                      "user_id": 1001,
                      "ad_id": "ad_123",
                      "is_click": true,
                      "ad_type": "banner"
                    },
                    {
                      "event_id": "clk-2025-0002-b",
                      "user_id": 1002,
                      "ad_id": "ad_456",
                      "is_click": true,
                      "ad_type": "video",
                      "timestamp": "2025-06-15T07:00:00Z"
                    }
                  ]
                }
              }
            },
            "application/x-ndjson": {
              "schema": {
                "type": "string",
                "description": "One JSON event per line."
              },
              "examples": {
                "two_lines": {
                  "summary": "Two events as NDJSON",
                  "value": "{\"event_id\":\"test_002-n\",\"user_id\":1001,\"ad_id\":\"ad_123\",\"is_click\":true,\"ad_type\":\"banner\"}\n{\"event_id\":\"clk-2025-0002-n\",\"user_id\":1002,\"ad_id\":\"ad_456\",\"is_click\":true,\"ad_type\":\"video\",\"timestamp\":\"2025-06-15T07:00:00Z\"}\n"
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "One result per event.",
            "headers": {
              "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BatchResult"
                },
                "example": {
                  "summary": {
                    "accepted": 1,
                    "rejected": 1,
                    "failed": 0
                  },
                  "results": [
                    {
                      "index": 0,
                      "status": 202,
                      "event_id": "test_002-b",
                      "partition": 1,
                      "offset": 43
                    },
                    {
                      "index": 1,
                      "status": 422,
                      "detail": [
                        {
                          "loc": [
                            "body",
                            1,
                            "user_id"
                          ],
                          "msg": "Field required",
                          "type": "missing"
                        }
                      ]
                    }
                  ]
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedBatch"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "$ref": "#/components/responses/ValidationFailed"
          },
          "503": {
            "$ref": "#/components/responses/BatchBusy"
          }
        }
      }
    },
    "/api/v1/clicks/impression": {
      "post": {
        "tags": [
          "events"
        ],
        "operationId": "submitImpression",
        "summary": "Submit an ad impression event",
        "description": "Validates an `ImpressionEvent`, an ad that was shown, and produces it to the clicks topic. `is_click` may be left out; when present it must be `false`.",
        "security": [
          {
            "ApiKeyAuth": []
          },
          {
            "BearerAuth": []
          },
          {}
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestID"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ImpressionEvent"
              },
              "examples": {
                "impression": {
                  "summary": "A banner ad was shown",
                  "value": {
                    "event_id": "imp-2025-0001",
                    "user_id": 1001,
                    "ad_id": "ad_123",
                    "ad_type": "banner"
                  }
                },
                "explicit_is_click": {
                  "summary": "An impression that states is_click false, with epoch milliseconds",
                  "value": {
                    "event_id": "imp-2025-0002",
                    "user_id": 1004,
                    "ad_id": "ad_789",
                    "is_click": false,
                    "ad_type": "carousel",
                    "timestamp": 1749970800000
                  }
                },
                "with_rfc3339_timestamp": {
                  "summary": "An impression with an RFC 3339 event time",
                  "value": {
                    "event_id": "imp-2025-0003",
                    "user_id": 1005,
                    "ad_id": "ad_456",
                    "ad_type": "video",
                    "timestamp": "2025-06-15T09:15:30-04:00"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "$ref": "#/components/responses/Duplicate"
          },
          "202": {
            "description": "Kafka acknowledged the event on all in-sync replicas.",
            "headers": {
              "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Accepted"
                },
                "example": {
                  "status": "accepted",
                  "event_id": "imp-2025-0001",
                  "event_type": "impression",
                  "topic": "raw.clicks.v1",
                  "partition": 2,
                  "offset": 903
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedJSON"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "$ref": "#/components/responses/ValidationFailed"
          },
          "503": {
            "$ref": "#/components/responses/KafkaUnavailable"
          },
          "504": {
            "$ref": "#/components/responses/KafkaTimeout"
          }
        }
      }
    },
    "/api/v1/clicks/impression/batch": {
      "post": {
        "tags": [
          "events"
        ],
        "operationId": "submitImpressionBatch",
        "summary": "Submit a batch of impressions",
        "description": "Up to `--max-batch` events (default 1000) in a JSON array, or NDJSON with `Content-Type: application/x-ndjson`, at most `--max-batch-body` bytes (default 5 MiB). Each event is validated and produced on its own, exactly as `POST /api/v1/clicks/impression` would; the answer lists one result per input index, in order, and comes once every accepted event was acknowledged by Kafka. Invalid events get a 422 result and are never produced. More than `--max-batch` events is a 422 (`too_long`) for the whole request; a body over `--max-batch-body` is a 413. At most `--max-concurrent-batches` batches (default 2 per core) are processed at once; a batch that waits longer than `--max-delivery-latency` for its turn gets 503 and nothing of it is stored.",
        "security": [
          {
            "ApiKeyAuth": []
          },
          {
            "BearerAuth": []
          },
          {}
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestID"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "array",
                "maxItems": 1000,
                "items": {
                  "description": "An event, validated as `ImpressionEvent` on its own: an invalid item gets a 422 result and does not affect the others."
                },
                "description": "Events to validate as `ImpressionEvent`."
              },
              "examples": {
                "two_events": {
                  "summary": "Two events in a JSON array",
                  "value": [
                    {
                      "event_id": "imp-2025-0001-b",
                      "user_id": 1001,
                      "ad_id": "ad_123",
                      "ad_type": "banner"
                    },
                    {
                      "event_id": "imp-2025-0002-b",
                      "user_id": 1004,
                      "ad_id": "ad_789",
                      "is_click": false,
                      "ad_type": "carousel",
                      "timestamp": 1749970800000
                    }
                  ]
                }
              }
            },
            "application/x-ndjson": {
              "schema": {
                "type": "string",
                "description": "One JSON event per line."
              },
              "examples": {
                "two_lines": {
                  "summary": "Two events as NDJSON",
                  "value": "{\"event_id\":\"imp-2025-0001-n\",\"user_id\":1001,\"ad_id\":\"ad_123\",\"ad_type\":\"banner\"}\n{\"event_id\":\"imp-2025-0002-n\",\"user_id\":1004,\"ad_id\":\"ad_789\",\"is_click\":false,\"ad_type\":\"carousel\",\"timestamp\":1749970800000}\n"
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "One result per event.",
            "headers": {
              "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BatchResult"
                },
                "example": {
                  "summary": {
                    "accepted": 1,
                    "rejected": 1,
                    "failed": 0
                  },
                  "results": [
                    {
                      "index": 0,
                      "status": 202,
                      "event_id": "imp-2025-0001-b",
                      "partition": 1,
                      "offset": 43
                    },
                    {
                      "index": 1,
                      "status": 422,
                      "detail": [
                        {
                          "loc": [
                            "body",
                            1,
                            "user_id"
                          ],
                          "msg": "Field required",
                          "type": "missing"
                        }
                      ]
                    }
                  ]
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedBatch"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "$ref": "#/components/responses/ValidationFailed"
          },
          "503": {
            "$ref": "#/components/responses/BatchBusy"
          }
        }
      }
    },
    "/": {
      "get": {
        "tags": [
          "service"
        ],
        "operationId": "getServiceInfo",
        "summary": "Service information",
        "description": "Names the service and its version, the Kafka cluster it writes to, and where the other endpoints are.",
        "responses": {
          "200": {
            "description": "Service information.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ServiceInfo"
                },
                "example": {
                  "service": "flowguard",
                  "version": "0.1.0",
                  "uptime_seconds": 3600.5,
                  "kafka": {
                    "bootstrap": "127.0.0.1:9092",
                    "embedded": false
                  },
                  "links": {
                    "docs": "/docs",
                    "health": "/health",
                    "metrics": "/metrics",
                    "openapi": "/openapi.json"
                  }
                }
              }
            }
          }
        }
      }
    },
    "/health": {
      "get": {
        "tags": [
          "service"
        ],
        "operationId": "getHealth",
        "summary": "Readiness: can the gateway reach Kafka",
        "description": "Reports whether the producer is connected to Kafka, how many brokers and which topics it sees, and how old that metadata is. Answers 503 when events cannot be accepted, so a load balancer can take the instance out of rotation.",
        "responses": {
          "200": {
            "description": "The gateway can accept events.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Health"
                },
                "example": {
                  "status": "healthy",
                  "kafka": {
                    "connected": true,
                    "brokers": 3,
                    "topics": {
                      "raw.orders.v1": {
                        "partitions": 3
                      },
                      "raw.clicks.v1": {
                        "partitions": 6
                      }
                    },
                    "metadata_age_seconds": 2.4
                  },
                  "uptime_seconds": 3600.5
                }
              }
            }
          },
          "503": {
            "description": "The gateway cannot accept events now; `reason` says why.",
            "content": {
              "application/json": {
                "schema": {
                  "allOf": [
                    {
                      "$ref": "#/components/schemas/Health"
                    },
                    {
                      "type": "object",
                      "required": [
                        "reason"
                      ],
                      "properties": {
                        "status": {
                          "const": "unhealthy"
                        }
                      }
                    }
                  ]
                },
                "example": {
                  "status": "unhealthy",
                  "reason": "no Kafka broker reachable",
                  "kafka": {
                    "connected": false,
                    "brokers": 0,
                    "topics": {},
                    "metadata_age_seconds": 31.0
                  },
                  "uptime_seconds": 12.0
                }
              }
            }
          }
        }
      }
    },
    "/health/live": {
      "get": {
        "tags": [
          "service"
        ],
        "operationId": "getLiveness",
        "summary": "Liveness: is the process answering",
        "description": "Answers as long as the HTTP server runs, whatever the state of Kafka.",
        "responses": {
          "200": {
            "description": "The process is alive.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Liveness"
                },
                "example": {
                  "status": "alive"
                }
              }
            }
          }
        }
      }
    },
    "/metrics": {
      "get": {
        "tags": [
          "service"
        ],
        "operationId": "getMetrics",
        "summary": "Metrics in Prometheus text format, or producer statistics as JSON",
        "description": "By default the Prometheus text exposition format 0.0.4. With `Accept: application/json` or `?format=json` the answer is instead a JSON object of producer statistics, whose keys may grow between versions.",
        "parameters": [
          {
            "name": "format",
            "in": "query",
            "required": false,
            "description": "`json` asks for the producer statistics as JSON, like `Accept: application/json`; `prometheus` (the default) for the text format. Any other value is a 400.",
            "schema": {
              "type": "string",
              "enum": [
                "json",
                "prometheus"
              ]
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The metrics.",
            "content": {
              "text/plain; version=0.0.4": {
                "schema": {
                  "type": "string",
                  "description": "Prometheus text exposition format 0.0.4."
                }
              },
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ProducerStats"
                }
              }
            }
          },
          "400": {
            "description": "An unknown `format`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/openapi.json": {
      "get": {
        "tags": [
          "docs"
        ],
        "operationId": "getOpenAPIDocument",
        "summary": "This OpenAPI 3.1 document",
        "responses": {
          "200": {
            "description": "The OpenAPI document.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "description": "An OpenAPI 3.1.0 document."
                }
              }
            }
          }
        }
      }
    },
    "/docs": {
      "get": {
        "tags": [
          "docs"
        ],
        "operationId": "getDocsPage",
        "summary": "Interactive API documentation",
        "description": "A page that renders this document and can send each example to the gateway.",
        "responses": {
          "200": {
            "description": "The page.",
            "content": {
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            }
          }
        }
      }
    },
    "/redoc": {
      "get": {
        "tags": [
          "docs"
        ],
        "operationId": "getRedocPage",
        "summary": "Read-only API reference",
        "description": "A page that lays out this document as a reference: endpoints, their schemas, and examples.",
        "responses": {
          "200": {
            "description": "The page.",
            "content": {
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            }
          }
        }
      }
    }
  },
  "components": {
    "schemas": {
      "EventTimestamp": {
        "title": "EventTimestamp",
        "description": "When the event happened on the client: an RFC 3339 date-time with an offset, or Unix epoch milliseconds, from 1970 to 9999. `null` is the same as leaving it out (the gateway then uses the receive time).",
        "oneOf": [
          {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339 date-time with an offset, such as `2025-06-15T12:30:00+05:30` or `2025-06-15T07:00:00Z`.",
            "pattern": "^(19[7-9][0-9]|[2-9][0-9]{3})-"
          },
          {
            "type": "integer",
            "format": "int64",
            "minimum": 0,
            "description": "Milliseconds since 1970-01-01T00:00:00Z.",
            "maximum": 253402300799999
          },
          {
            "type": "null"
          }
        ]
      },
      "OrderEvent": {
        "title": "OrderEvent",
        "description": "An item a user ordered.",
        "type": "object",
        "required": [
          "event_id",
          "user_id",
          "order_id",
          "item_id",
          "item_name",
          "price"
        ],
        "additionalProperties": false,
        "properties": {
          "event_id": {
            "type": "string",
            "minLength": 1,
            "maxLength": 128,
            "description": "Unique id of the event, chosen by the client. Send the same id again when retrying."
          },
          "user_id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "description": "The user who ordered."
          },
          "order_id": {
            "type": "string",
            "minLength": 1,
            "maxLength": 128,
            "description": "The order the item belongs to."
          },
          "item_id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "description": "The item ordered."
          },
          "item_name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 256,
            "description": "Display name of the item."
          },
          "price": {
            "type": "number",
            "exclusiveMinimum": 0,
            "description": "Price of the item; greater than zero."
          },
          "timestamp": {
            "$ref": "#/components/schemas/EventTimestamp"
          }
        }
      },
      "ClickEvent": {
        "title": "ClickEvent",
        "description": "A user's interaction with an ad: clicked, or shown and not clicked.",
        "type": "object",
        "required": [
          "event_id",
          "user_id",
          "ad_id",
          "is_click",
          "ad_type"
        ],
        "additionalProperties": false,
        "properties": {
          "event_id": {
            "type": "string",
            "minLength": 1,
            "maxLength": 128,
            "description": "Unique id of the event, chosen by the client. Send the same id again when retrying."
          },
          "user_id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "description": "The user who saw the ad."
          },
          "ad_id": {
            "type": "string",
            "minLength": 1,
            "maxLength": 128,
            "description": "The ad."
          },
          "is_click": {
            "type": "boolean",
            "description": "Whether the user clicked the ad."
          },
          "ad_type": {
            "type": "string",
            "minLength": 1,
            "maxLength": 64,
            "description": "Kind of ad, such as `banner` or `video`."
          },
          "timestamp": {
            "$ref": "#/components/schemas/EventTimestamp"
          }
        }
      },
      "ImpressionEvent": {
        "title": "ImpressionEvent",
        "description": "An ad shown to a user.",
        "type": "object",
        "required": [
          "event_id",
          "user_id",
          "ad_id",
          "ad_type"
        ],
        "additionalProperties": false,
        "properties": {
          "event_id": {
            "type": "string",
            "minLength": 1,
            "maxLength": 128,
            "description": "Unique id of the event, chosen by the client. Send the same id again when retrying."
          },
          "user_id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "description": "The user who saw the ad."
          },
          "ad_id": {
            "type": "string",
            "minLength": 1,
            "maxLength": 128,
            "description": "The ad."
          },
          "is_click": {
            "type": [
              "boolean",
              "null"
            ],
            "enum": [
              false,
              null
            ],
            "default": false,
            "description": "Always false for an impression; may be left out (or null)."
          },
          "ad_type": {
            "type": "string",
            "minLength": 1,
            "maxLength": 64,
            "description": "Kind of ad, such as `banner` or `video`."
          },
          "timestamp": {
            "$ref": "#/components/schemas/EventTimestamp"
          }
        }
      },
      "Accepted": {
        "title": "Accepted",
        "description": "Where Kafka stored the event.",
        "type": "object",
        "required": [
          "status",
          "event_id",
          "event_type",
          "topic",
          "partition",
          "offset"
        ],
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "accepted",
              "duplicate"
            ],
            "description": "`accepted` for a new event (202); `duplicate` for a retry of an event already stored (200, `X-Duplicate: true`), with the original's partition and offset."
          },
          "event_id": {
            "type": "string",
            "description": "The event's `event_id`."
          },
          "event_type": {
            "type": "string",
            "enum": [
              "order",
              "click",
              "impression"
            ]
          },
          "topic": {
            "type": "string",
            "description": "The Kafka topic the event was written to."
          },
          "partition": {
            "type": "integer",
            "minimum": 0,
            "description": "The partition of that topic."
          },
          "offset": {
            "type": "integer",
            "format": "int64",
            "minimum": 0,
            "description": "The record's offset in that partition."
          }
        }
      },
      "Error": {
        "title": "Error",
        "description": "FastAPI's error body. Some errors add properties, such as `byte_offset`, `retry_after` or `stored`.",
        "type": "object",
        "required": [
          "detail"
        ],
        "additionalProperties": true,
        "properties": {
          "detail": {
            "type": "string",
            "description": "What went wrong."
          }
        }
      },
      "MalformedJSONError": {
        "title": "MalformedJSONError",
        "description": "The body is not well-formed JSON.",
        "allOf": [
          {
            "$ref": "#/components/schemas/Error"
          },
          {
            "type": "object",
            "required": [
              "byte_offset"
            ],
            "properties": {
              "byte_offset": {
                "type": "integer",
                "minimum": 0,
                "description": "Offset in the body, in bytes from 0, where parsing failed."
              }
            }
          }
        ]
      },
      "KafkaUnavailableError": {
        "title": "KafkaUnavailableError",
        "description": "Kafka cannot take the event now; nothing was stored.",
        "allOf": [
          {
            "$ref": "#/components/schemas/Error"
          },
          {
            "type": "object",
            "required": [
              "retry_after"
            ],
            "properties": {
              "retry_after": {
                "type": "integer",
                "minimum": 0,
                "description": "Seconds to wait before retrying; the same as the `Retry-After` header."
              }
            }
          }
        ]
      },
      "KafkaTimeoutError": {
        "title": "KafkaTimeoutError",
        "description": "Kafka did not acknowledge the event in time. It may or may not have been stored.",
        "allOf": [
          {
            "$ref": "#/components/schemas/Error"
          },
          {
            "type": "object",
            "required": [
              "stored"
            ],
            "properties": {
              "stored": {
                "type": "string",
                "const": "unknown",
                "description": "Whether the event was stored is not known: retry with the same `event_id`."
              }
            }
          }
        ]
      },
      "ValidationError": {
        "title": "ValidationError",
        "description": "One way in which the body breaks its schema.",
        "type": "object",
        "required": [
          "loc",
          "msg",
          "type"
        ],
        "properties": {
          "loc": {
            "type": "array",
            "description": "Where the problem is, such as `[\"body\", \"price\"]`.",
            "items": {
              "anyOf": [
                {
                  "type": "string"
                },
                {
                  "type": "integer"
                }
              ]
            }
          },
          "msg": {
            "type": "string",
            "description": "What is wrong, for a person."
          },
          "type": {
            "type": "string",
            "description": "What is wrong, for a program, such as `missing` or `greater_than`."
          }
        }
      },
      "HTTPValidationError": {
        "title": "HTTPValidationError",
        "description": "The body is JSON but breaks its schema; FastAPI's 422 body.",
        "type": "object",
        "required": [
          "detail"
        ],
        "properties": {
          "detail": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ValidationError"
            }
          }
        }
      },
      "ServiceInfo": {
        "title": "ServiceInfo",
        "type": "object",
        "required": [
          "service",
          "version",
          "uptime_seconds",
          "kafka",
          "links"
        ],
        "properties": {
          "service": {
            "type": "string",
            "const": "flowguard"
          },
          "version": {
            "type": "string",
            "description": "The gateway's version."
          },
          "uptime_seconds": {
            "type": "number",
            "minimum": 0,
            "description": "Seconds since the gateway started."
          },
          "kafka": {
            "type": "object",
            "required": [
              "bootstrap",
              "embedded"
            ],
            "properties": {
              "bootstrap": {
                "type": "string",
                "description": "The bootstrap servers the producer connects to."
              },
              "embedded": {
                "type": "boolean",
                "description": "Whether the gateway runs its own embedded Kafka cluster."
              }
            }
          },
          "links": {
            "type": "object",
            "required": [
              "docs",
              "health",
              "metrics",
              "openapi"
            ],
            "properties": {
              "docs": {
                "type": "string",
                "const": "/docs"
              },
              "health": {
                "type": "string",
                "const": "/health"
              },
              "metrics": {
                "type": "string",
                "const": "/metrics"
              },
              "openapi": {
                "type": "string",
                "const": "/openapi.json"
              }
            }
          }
        }
      },
      "Health": {
        "title": "Health",
        "type": "object",
        "required": [
          "status",
          "kafka",
          "uptime_seconds"
        ],
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "healthy",
              "unhealthy"
            ]
          },
          "reason": {
            "type": "string",
            "description": "Why the gateway is unhealthy; present only then."
          },
          "kafka": {
            "$ref": "#/components/schemas/KafkaHealth"
          },
          "uptime_seconds": {
            "type": "number",
            "minimum": 0,
            "description": "Seconds since the gateway started."
          }
        }
      },
      "KafkaHealth": {
        "title": "KafkaHealth",
        "description": "The producer's view of the Kafka cluster.",
        "type": "object",
        "required": [
          "connected",
          "brokers",
          "topics",
          "metadata_age_seconds"
        ],
        "properties": {
          "connected": {
            "type": "boolean",
            "description": "Whether the producer reaches at least one broker."
          },
          "brokers": {
            "type": "integer",
            "minimum": 0,
            "description": "Brokers in the latest cluster metadata."
          },
          "topics": {
            "type": "object",
            "description": "The gateway's topics by name.",
            "additionalProperties": {
              "$ref": "#/components/schemas/TopicHealth"
            }
          },
          "metadata_age_seconds": {
            "type": "number",
            "minimum": 0,
            "description": "Seconds since the cluster metadata was last refreshed."
          }
        }
      },
      "TopicHealth": {
        "title": "TopicHealth",
        "type": "object",
        "required": [
          "partitions"
        ],
        "properties": {
          "partitions": {
            "type": "integer",
            "minimum": 0,
            "description": "Partitions of the topic."
          }
        }
      },
      "Liveness": {
        "title": "Liveness",
        "type": "object",
        "required": [
          "status"
        ],
        "properties": {
          "status": {
            "type": "string",
            "const": "alive"
          }
        }
      },
      "ProducerStats": {
        "title": "ProducerStats",
        "description": "The Kafka producer's statistics. Free-form: keys may be added between versions.",
        "type": "object",
        "additionalProperties": true
      },
      "ConflictError": {
        "title": "ConflictError",
        "type": "object",
        "required": [
          "detail",
          "event_id"
        ],
        "properties": {
          "detail": {
            "type": "string"
          },
          "event_id": {
            "type": "string"
          }
        }
      },
      "MalformedBatchError": {
        "title": "MalformedBatchError",
        "type": "object",
        "required": [
          "detail"
        ],
        "properties": {
          "detail": {
            "type": "string"
          },
          "byte_offset": {
            "type": "integer",
            "minimum": 0,
            "description": "For a JSON array body: where parsing failed."
          },
          "line": {
            "type": "integer",
            "minimum": 1,
            "description": "For an NDJSON body: the broken line."
          }
        }
      },
      "BatchItemResult": {
        "title": "BatchItemResult",
        "type": "object",
        "required": [
          "index",
          "status"
        ],
        "properties": {
          "index": {
            "type": "integer",
            "minimum": 0,
            "description": "Position of the event in the batch."
          },
          "status": {
            "type": "integer",
            "enum": [
              200,
              202,
              409,
              422,
              503,
              504
            ],
            "description": "What the same event would have got on its own."
          },
          "event_id": {
            "type": "string"
          },
          "partition": {
            "type": "integer",
            "minimum": 0
          },
          "offset": {
            "type": "integer",
            "format": "int64",
            "minimum": 0
          },
          "duplicate": {
            "type": "boolean"
          },
          "detail": {
            "oneOf": [
              {
                "type": "string"
              },
              {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/ValidationError"
                }
              }
            ]
          },
          "retry_after": {
            "type": "integer",
            "minimum": 1
          },
          "stored": {
            "type": "string",
            "const": "unknown"
          }
        }
      },
      "BatchResult": {
        "title": "BatchResult",
        "type": "object",
        "required": [
          "summary",
          "results"
        ],
        "properties": {
          "summary": {
            "type": "object",
            "required": [
              "accepted",
              "rejected",
              "failed"
            ],
            "properties": {
              "accepted": {
                "type": "integer",
                "minimum": 0,
                "description": "Stored (202) or already stored (200)."
              },
              "rejected": {
                "type": "integer",
                "minimum": 0,
                "description": "Invalid (422)."
              },
              "failed": {
                "type": "integer",
                "minimum": 0,
                "description": "Valid but not stored: 409, 503 or 504."
              }
            }
          },
          "results": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/BatchItemResult"
            },
            "description": "One result per input event, in input order."
          }
        }
      }
    },
    "parameters": {
      "XRequestID": {
        "name": "X-Request-ID",
        "in": "header",
        "required": false,
        "description": "An id to trace this request by; the answer carries it back. An id of 1 to 128 visible ASCII characters is used as given; anything else (or none) is replaced by an id the gateway makes.",
        "schema": {
          "type": "string"
        }
      }
    },
    "headers": {
      "X-Request-ID": {
        "description": "The request's id: the client's `X-Request-ID`, or one the gateway made.",
        "schema": {
          "type": "string",
          "maxLength": 128
        }
      },
      "Retry-After": {
        "description": "Seconds to wait before retrying.",
        "schema": {
          "type": "integer",
          "minimum": 0
        }
      },
      "X-Duplicate": {
        "description": "`true` when the event is a retry of one already stored: it was not produced again.",
        "schema": {
          "type": "string",
          "const": "true"
        }
      }
    },
    "responses": {
      "MalformedJSON": {
        "description": "The body is not well-formed JSON.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/MalformedJSONError"
            },
            "example": {
              "detail": "expected ',' or '}' after object member",
              "byte_offset": 57
            }
          }
        }
      },
      "Unauthorized": {
        "description": "API keys are configured and the request has no valid `X-API-Key` or `Authorization: Bearer` key.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            },
            "example": {
              "detail": "Missing or invalid API key"
            }
          }
        }
      },
      "PayloadTooLarge": {
        "description": "The body is larger than the gateway's limit.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            },
            "example": {
              "detail": "Request body too large"
            }
          }
        }
      },
      "UnsupportedMediaType": {
        "description": "The `Content-Type` is not `application/json`.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            },
            "example": {
              "detail": "Content-Type must be application/json"
            }
          }
        }
      },
      "ValidationFailed": {
        "description": "The body is JSON but breaks the event's schema.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/HTTPValidationError"
            },
            "example": {
              "detail": [
                {
                  "loc": [
                    "body",
                    "price"
                  ],
                  "msg": "Input should be greater than 0",
                  "type": "greater_than"
                }
              ]
            }
          }
        }
      },
      "KafkaUnavailable": {
        "description": "Kafka cannot take the event now (no broker reachable, or the producer queue is full). Nothing was stored; retry after `Retry-After` seconds.",
        "headers": {
          "Retry-After": {
            "$ref": "#/components/headers/Retry-After"
          }
        },
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/KafkaUnavailableError"
            },
            "example": {
              "detail": "Kafka is unavailable",
              "retry_after": 1
            }
          }
        }
      },
      "BatchBusy": {
        "description": "Too many batches in progress (`--max-concurrent-batches`), and this one waited longer than `--max-delivery-latency` for its turn. Nothing was stored; retry after `Retry-After` seconds.",
        "headers": {
          "Retry-After": {
            "$ref": "#/components/headers/Retry-After"
          }
        },
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/KafkaUnavailableError"
            },
            "example": {
              "detail": "Too many batches in progress (4 at once); none of this batch's events was stored",
              "retry_after": 1
            }
          }
        }
      },
      "KafkaTimeout": {
        "description": "Kafka did not acknowledge the event in time. It may or may not have been stored: retry with the same `event_id`.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/KafkaTimeoutError"
            },
            "example": {
              "detail": "Kafka did not acknowledge the event in time",
              "stored": "unknown"
            }
          }
        }
      },
      "NotFound": {
        "description": "No such path. Every path not listed in this document answers this.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            },
            "example": {
              "detail": "Not Found"
            }
          }
        }
      },
      "MethodNotAllowed": {
        "description": "The path exists but not with this method. Every listed path answers this to a method it does not list.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            },
            "example": {
              "detail": "Method Not Allowed"
            }
          }
        }
      },
      "Duplicate": {
        "description": "A retry of an event this gateway already stored within the deduplication window (default 15 minutes, per gateway instance): not produced again; the original's partition and offset.",
        "headers": {
          "X-Request-ID": {
            "$ref": "#/components/headers/X-Request-ID"
          },
          "X-Duplicate": {
            "$ref": "#/components/headers/X-Duplicate"
          }
        },
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Accepted"
            },
            "example": {
              "status": "duplicate",
              "event_id": "test_001",
              "event_type": "order",
              "topic": "raw.orders.v1",
              "partition": 1,
              "offset": 42
            }
          }
        }
      },
      "Conflict": {
        "description": "The event_id was already accepted with different content; nothing was produced.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ConflictError"
            },
            "example": {
              "detail": "event_id 'test_001' was already accepted with different content",
              "event_id": "test_001"
            }
          }
        }
      },
      "MalformedBatch": {
        "description": "The batch body is not a JSON array, or an NDJSON line is not JSON; nothing was produced.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/MalformedBatchError"
            },
            "example": {
              "detail": "Malformed JSON on line 2 at byte 1: expected a value",
              "line": 2
            }
          }
        }
      }
    },
    "securitySchemes": {
      "ApiKeyAuth": {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "One of the configured API keys. Needed only when keys are configured."
      },
      "BearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "One of the configured API keys as `Authorization: Bearer <key>`. Needed only when keys are configured."
      }
    }
  }
}
"""#
}
