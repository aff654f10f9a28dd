import FlowGuardSupport
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// `GET /metrics` (Prometheus text) and `GET /health` of the jobs that serve nothing else (`dump`,
/// `attribute`), on a small server of their own.
enum MetricsEndpoint {
    /// Loopback unless told otherwise: the metrics name topics and groups. A container's Prometheus
    /// needs `0.0.0.0` (deploy/compose.yaml passes it).
    static let host = CommandOption("metrics-host", value: "HOST", default: "127.0.0.1", help: "address GET /metrics listens on")

    static func service(host: String, port: Int, logger: Logger, exposition: @escaping @Sendable () -> ByteBuffer) -> some Service {
        let router = Router()
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: exposition())
            )
        }
        router.get("/health") { _, _ in "ok\n" }
        // The command says what it serves; Hummingbird's own start line would repeat it.
        var serverLogger = logger
        serverLogger.logLevel = max(serverLogger.logLevel, .notice)
        return Application(router: router, configuration: .init(address: .hostname(host, port: port)), logger: serverLogger)
    }
}
