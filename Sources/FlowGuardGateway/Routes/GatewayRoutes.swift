import FlowGuardEvents
import FlowGuardJSON
import FlowGuardKafka
import FlowGuardSupport
import Hummingbird

/// Every route of the gateway, and the paths the error middleware and metrics know.
enum GatewayRoutes {
    static let eventRoutes: [(path: String, kind: EventKind)] = EventKind.allCases.map { ($0.path, $0) }

    static let serviceRoutes = ["/", "/health", "/health/live", "/metrics", "/openapi.json", "/docs", "/redoc"]

    static let knownPaths: Set<String> = Set(eventRoutes.flatMap { [$0.path, $0.path + "/batch"] } + serviceRoutes)

    /// The methods each path answers, for 405 answers.
    static let methods: [String: [HTTPRequest.Method]] = {
        var methods: [String: [HTTPRequest.Method]] = [:]
        for route in eventRoutes {
            methods[route.path] = [.post]
            methods[route.path + "/batch"] = [.post]
        }
        for path in serviceRoutes { methods[path] = [.get, .head] }
        return methods
    }()
}

/// What the service routes read.
struct ServiceState: Sendable {
    let components: GatewayComponents
    let started: ContinuousClock.Instant
    let openAPI: [UInt8]

    var producer: KafkaProducer { components.producer }
    var health: HealthMonitor { components.health }
    var metrics: GatewayMetrics { components.metrics }
    var configuration: GatewayConfiguration { components.configuration }
    var kafka: KafkaTarget { components.kafka }

    var uptimeSeconds: Double {
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// `GET /`.
    func serviceInfo() -> Response {
        .json(
            .ok,
            JSONObject([
                (key: "service", value: .string("flowguard")),
                (key: "version", value: .string(FlowGuardVersion.current)),
                (key: "uptime_seconds", value: .number(JSONNumber(uptimeSeconds.rounded(toPlaces: 3))!)),
                (
                    key: "kafka",
                    value: .object(
                        JSONObject([
                            (key: "bootstrap", value: .string(kafka.bootstrapServers)),
                            (key: "embedded", value: .bool(kafka.embedded)),
                        ])
                    )
                ),
                (
                    key: "links",
                    value: .object(
                        JSONObject([
                            (key: "docs", value: .string("/docs")),
                            (key: "redoc", value: .string("/redoc")),
                            (key: "health", value: .string("/health")),
                            (key: "metrics", value: .string("/metrics")),
                            (key: "openapi", value: .string("/openapi.json")),
                        ])
                    )
                ),
            ])
        )
    }

    /// `GET /health`: from the cached snapshot, so it answers at once even when Kafka is down.
    func healthReport() -> Response {
        let snapshot = health.current
        let reason = snapshot.unavailableReason(requiredTopics: configuration.requiredTopics)
        var topics = JSONObject()
        for name in configuration.requiredTopics {
            if let partitions = snapshot.topics[name] {
                var entry = JSONObject([(key: "partitions", value: .number(JSONNumber(Int64(partitions))))])
                if let leaderless = snapshot.leaderlessPartitions[name] {
                    entry.entries.append((key: "partitions_without_leader", value: .number(JSONNumber(Int64(leaderless)))))
                }
                topics.entries.append((key: name, value: .object(entry)))
            }
        }
        var kafkaObject = JSONObject([
            (key: "connected", value: .bool(snapshot.connected)),
            (key: "brokers", value: .number(JSONNumber(Int64(snapshot.brokers)))),
            (key: "topics", value: .object(topics)),
            (key: "embedded", value: .bool(kafka.embedded)),
        ])
        if let age = snapshot.age() {
            kafkaObject.entries.append((key: "metadata_age_seconds", value: .number(JSONNumber(age.rounded(toPlaces: 3))!)))
        }
        var object = JSONObject([
            (key: "status", value: .string(reason == nil ? "healthy" : "unhealthy")),
            (key: "kafka", value: .object(kafkaObject)),
            (key: "uptime_seconds", value: .number(JSONNumber(uptimeSeconds.rounded(toPlaces: 3))!)),
            (key: "in_flight", value: .number(JSONNumber(Int64(components.admission.inFlight)))),
        ])
        if let reason {
            object.entries.append((key: "reason", value: .string(reason)))
        }
        return .json(reason == nil ? .ok : .serviceUnavailable, object)
    }

    /// `GET /metrics`: Prometheus text, or the producer statistics as JSON.
    func metricsReport(_ request: Request) throws -> Response {
        let format = request.uri.queryParameters["format"].map(String.init)
        guard format == nil || format == "json" || format == "prometheus" else {
            throw GatewayError.detail(.badRequest, "format must be json or prometheus, got '\(format ?? "")'")
        }
        let wantsJSON = format == "json"
            || (format == nil && request.headers[.accept]?.contains("application/json") == true)
        let statistics = producer.statistics
        if wantsJSON {
            var object = JSONObject([
                (key: "messages_produced", value: .number(JSONNumber(Int64(metrics.produced.load(ordering: .relaxed))))),
                (key: "messages_failed", value: .number(JSONNumber(Int64(metrics.failed.load(ordering: .relaxed))))),
                (key: "in_flight", value: .number(JSONNumber(Int64(components.admission.inFlight)))),
                (key: "fast_path_requests", value: .number(JSONNumber(Int64(metrics.fastPathRequests.load(ordering: .relaxed))))),
                (key: "deduplication_entries", value: .number(JSONNumber(Int64(components.deduplication.count)))),
                (key: "queue_length", value: .number(JSONNumber(Int64(producer.queueLength)))),
            ])
            if let statistics, let raw = try? JSONParser.parse(Array(statistics.json.utf8), maxDepth: 64) {
                object.entries.append((key: "librdkafka", value: raw))
            }
            return .json(.ok, object)
        }
        let snapshot = health.current
        let body = metrics.exposition(
            statistics: statistics, queueLength: producer.queueLength, health: snapshot,
            ready: snapshot.unavailableReason(requiredTopics: configuration.requiredTopics) == nil, uptimeSeconds: uptimeSeconds,
            inFlight: components.admission.inFlight, deduplicationEntries: components.deduplication.count,
            deduplicationEvictedBeforeWindow: components.deduplication.evictedBeforeWindow,
            recentDeliveryLatency: components.admission.recentLatency,
            limits: .init(
                inFlight: components.admission.maxInFlight, queueMessages: producer.queueMessageLimit,
                deduplicationCapacity: components.deduplication.capacity
            )
        )
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}

