import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// Builds the gateway application: routes, middleware, and the services it runs (health monitor,
/// producer; the HTTP server is added by Hummingbird last, so it stops first on shutdown).
/// - Parameters:
///   - configuration: address, limits, time-outs.
///   - producer: the Kafka producer events go to; it is run as a service of the application.
///   - kafka: what `GET /` reports about Kafka.
///   - extraServices: services that must outlive the producer (the embedded cluster), first in line.
///   - logger: the gateway's logger.
public func buildGateway(
    configuration: GatewayConfiguration,
    producer: KafkaProducer,
    kafka: KafkaTarget,
    extraServices: [any Service] = [],
    logger: Logger
) -> some ApplicationProtocol {
    let metrics = GatewayMetrics()
    let health = HealthMonitor(
        producer: producer,
        requiredTopics: configuration.requiredTopics,
        interval: configuration.healthRefreshInterval,
        logger: logger
    )
    let router = buildRouter(configuration: configuration, producer: producer, health: health, metrics: metrics, kafka: kafka, logger: logger)
    var application = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "flowguard"),
        logger: logger
    )
    application.addServices(extraServices)
    application.addServices(producer, health)
    // The first answers must not say "unhealthy" only because no refresh ran yet.
    application.beforeServerStarts {
        await health.refresh()
    }
    return application
}

/// The gateway's router, on its own for in-process tests.
func buildRouter(
    configuration: GatewayConfiguration,
    producer: KafkaProducer,
    health: HealthMonitor,
    metrics: GatewayMetrics,
    kafka: KafkaTarget,
    logger: Logger
) -> Router<GatewayRequestContext> {
    let router = Router(context: GatewayRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: AccessLogMiddleware(metrics: metrics, logger: logger, enabled: configuration.accessLog))
    router.add(middleware: ErrorMiddleware(routes: GatewayRoutes.methods))

    let ingestor = EventIngestor(producer: producer, health: health, metrics: metrics, configuration: configuration)
    for route in GatewayRoutes.eventRoutes {
        let kind = route.kind
        router.post(RouterPath(route.path)) { request, context in
            try await ingestor.ingest(request, context: context, kind: kind)
        }
    }

    let state = ServiceState(
        producer: producer, health: health, metrics: metrics, configuration: configuration, kafka: kafka,
        started: .now, openAPI: Array(OpenAPIDocument.json(version: FlowGuardCLI.version).utf8)
    )
    router.get("/") { _, _ in state.serviceInfo() }
    router.get("/health") { _, _ in state.healthReport() }
    router.get("/health/live") { _, _ in
        Response.json(.ok, JSONObject([(key: "status", value: .string("alive"))]))
    }
    router.get("/metrics") { request, _ in state.metricsReport(request) }
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
