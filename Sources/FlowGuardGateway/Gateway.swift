import FlowGuardJSON
import FlowGuardKafka
import FlowGuardSupport
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// The parts of a running gateway that routes and services share.
struct GatewayComponents: Sendable {
    let configuration: GatewayConfiguration
    let producer: KafkaProducer
    let kafka: KafkaTarget
    let health: HealthMonitor
    let metrics: GatewayMetrics
    let admission: AdmissionControl
    let deduplication: DeduplicationWindow
    let batchGate: BatchGate
    let apiKeys: APIKeyMiddleware
    let accessLog: AccessLogMiddleware
    let ingestor: EventIngestor
    let logger: Logger
    /// The `Server` header of every answer.
    static let serverName = "flowguard"

    /// - Throws: `CommandFailure` when an API key digest is malformed.
    init(configuration: GatewayConfiguration, producer: KafkaProducer, kafka: KafkaTarget, logger: Logger) throws(CommandFailure) {
        self.configuration = configuration
        self.producer = producer
        self.kafka = kafka
        self.logger = logger
        do {
            self.health = try HealthMonitor(
                producer: producer, requiredTopics: configuration.requiredTopics,
                interval: configuration.healthRefreshInterval, logger: logger
            )
        } catch {
            throw CommandFailure("cannot create the Kafka health client: \(error)")
        }
        self.metrics = GatewayMetrics()
        self.admission = AdmissionControl(maxInFlight: configuration.maxInFlight, maxDeliveryLatency: configuration.maxDeliveryLatency)
        self.deduplication = DeduplicationWindow(window: configuration.deduplicationWindow, capacity: configuration.deduplicationCapacity)
        self.batchGate = BatchGate(permits: configuration.maxConcurrentBatches)
        self.apiKeys = APIKeyMiddleware(
            digests: try APIKeyMiddleware.parseDigests(configuration.apiKeyDigests), protectMetrics: configuration.protectMetrics
        )
        self.accessLog = AccessLogMiddleware(metrics: metrics, logger: logger, enabled: configuration.accessLog)
        self.ingestor = EventIngestor(
            submitter: EventSubmitter(
                producer: producer, health: health, metrics: metrics, admission: admission,
                deduplication: deduplication, requiredTopics: configuration.requiredTopics
            ),
            metrics: metrics, apiKeys: apiKeys, maxBodyBytes: configuration.maxBodyBytes
        )
    }

    var submitter: EventSubmitter { ingestor.submitter }
}

/// Builds the gateway application: routes, middleware, and the services it runs (health monitor,
/// producer; the HTTP server is added by Hummingbird last, so it stops first on shutdown and the
/// producer flushes after the last request was answered).
/// - Parameters:
///   - extraServices: services that must outlive the producer (the embedded cluster), first in line.
/// - Throws: `CommandFailure` for a malformed API key digest.
public func buildGateway(
    configuration: GatewayConfiguration,
    producer: KafkaProducer,
    kafka: KafkaTarget,
    extraServices: [any Service] = [],
    logger: Logger
) throws(CommandFailure) -> some ApplicationProtocol {
    let components = try GatewayComponents(configuration: configuration, producer: producer, kafka: kafka, logger: logger)
    return buildApplication(components, extraServices: extraServices)
}

/// The application around `components`: the router, the HTTP server with its channel handlers,
/// and the producer and health services.
func buildApplication(_ components: GatewayComponents, extraServices: [any Service] = []) -> some ApplicationProtocol {
    let configuration = components.configuration
    let timeouts = (
        header: TimeAmount.nanoseconds(configuration.headerTimeout.nanoseconds),
        body: TimeAmount.nanoseconds(configuration.bodyTimeout.nanoseconds),
        idle: TimeAmount.nanoseconds(configuration.idleTimeout.nanoseconds)
    )
    let fastPath = configuration.eventFastPath ? EventFastPath(components: components) : nil
    // The start command says where the gateway listens, with its docs; Hummingbird's own line would repeat it.
    var serverLogger = components.logger
    serverLogger.logLevel = max(serverLogger.logLevel, .notice)
    var application = Application(
        router: buildRouter(components),
        server: HTTPServerBuilder { responder in
            GatewayHTTP1Channel(responder: responder, timeouts: timeouts, fastPath: fastPath)
        },
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: GatewayComponents.serverName,
            availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections, logger: components.logger)
        ),
        logger: serverLogger
    )
    application.addServices(extraServices)
    application.addServices(components.producer, components.health)
    // The first answers must not say "unhealthy" only because no refresh ran yet.
    application.beforeServerStarts {
        await components.health.refresh()
    }
    return application
}

/// The gateway's router, on its own for in-process tests.
func buildRouter(_ components: GatewayComponents) -> Router<GatewayRequestContext> {
    let configuration = components.configuration
    let router = Router(context: GatewayRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: components.accessLog)
    router.add(middleware: ErrorMiddleware(routes: GatewayRoutes.methods))
    router.add(middleware: CORSAllowlistMiddleware(origins: configuration.corsOrigins))
    router.add(middleware: components.apiKeys)

    let ingestor = components.ingestor
    let batches = BatchIngestor(
        submitter: components.submitter, metrics: components.metrics,
        maxBatch: configuration.maxBatch, maxBatchBodyBytes: configuration.maxBatchBodyBytes,
        gate: components.batchGate, maxWait: configuration.maxDeliveryLatency
    )
    for route in GatewayRoutes.eventRoutes {
        let kind = route.kind
        router.post(RouterPath(route.path)) { request, context in
            try await ingestor.ingest(request, context: context, kind: kind)
        }
        router.post(RouterPath(route.path + "/batch")) { request, context in
            try await batches.ingest(request, context: context, kind: kind)
        }
    }

    let state = ServiceState(components: components, started: .now, openAPI: Array(OpenAPIDocument.json(version: FlowGuardVersion.current).utf8))
    router.get("/") { _, _ in state.serviceInfo() }
    router.get("/health") { _, _ in state.healthReport() }
    router.get("/health/live") { _, _ in
        Response.json(.ok, JSONObject([(key: "status", value: .string("alive"))]))
    }
    router.get("/metrics") { request, _ in try state.metricsReport(request) }
    router.get("/openapi.json") { _, _ in Response.json(.ok, state.openAPI) }
    router.get("/docs") { _, _ in html(DocsPage.html) }
    router.get("/redoc") { _, _ in html(RedocPage.html) }
    return router
}

private func html(_ page: String) -> Response {
    Response(
        status: .ok,
        headers: [.contentType: "text/html; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(string: page))
    )
}
