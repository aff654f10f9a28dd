import FlowGuardJSON
import FlowGuardKafka
import FlowGuardSupport
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The console's router: the pages, the JSON API behind each, the assets. On its own for in-process tests.
package func buildConsoleRouter(_ console: Console) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: ConsoleMetricsMiddleware(metrics: console.metrics))
    router.add(middleware: ConsoleErrorMiddleware(console: console))
    router.add(middleware: ConsoleAuthMiddleware(console: console))

    router.get("/assets/console.css") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=300"], body: .init(byteBuffer: ByteBuffer(string: ConsoleStyle.source)))
    }
    router.get("/assets/console.js") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=300"], body: .init(byteBuffer: ByteBuffer(string: ConsoleScript.source)))
    }
    router.get("/metrics") { _, _ in
        let body = await console.metrics.exposition(snapshot: console.cluster.cachedSnapshot)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: body))
    }
    console.addPages(to: router)
    console.addAPI(to: router)
    return router
}

/// The console as an application: its router on `configuration.host:port`.
/// - Parameter onRunning: called once the console listens (the start line says where).
package func buildConsole(_ console: Console, logger: Logger, onRunning: @escaping @Sendable () async -> Void = {}) -> some ApplicationProtocol {
    // The start command says where the console listens; Hummingbird's own line would repeat it.
    var serverLogger = logger
    serverLogger.logLevel = max(serverLogger.logLevel, .notice)
    return Application(
        router: buildConsoleRouter(console),
        configuration: .init(address: .hostname(console.configuration.host, port: console.configuration.port), serverName: "flowguard-console"),
        onServerRunning: { _ in await onRunning() },
        logger: serverLogger
    )
}

/// The console inside another command (`start-gateway`): a port that is taken, or any failure to
/// start, is a warning in the log and never stops the command it runs beside.
package struct OptionalConsoleService<Wrapped: Service>: Service {
    let wrapped: Wrapped
    let address: String
    let logger: Logger

    package init(_ wrapped: Wrapped, address: String, logger: Logger) {
        self.wrapped = wrapped
        self.address = address
        self.logger = logger
    }

    package func run() async throws {
        do {
            try await wrapped.run()
        } catch {
            let text = "\(error)"
            let reason = text.contains("Address already in use") || text.contains("EADDRINUSE") ? "address already in use" : text
            logger.warning("The console is not running: cannot listen on \(address): \(reason). The gateway runs without it (--console off silences this)")
            try? await gracefulShutdown()
        }
    }
}

extension Request {
    /// The query string's parameters.
    func queryFields() throws(ConsoleError) -> FormFields {
        try FormFields(encoded: Substring(uri.query ?? ""))
    }

    /// A form body's fields (`application/x-www-form-urlencoded`), at most 2 MiB.
    func formFields() async throws -> FormFields {
        let body = try await self.body.collect(upTo: 2 << 20)
        return try FormFields(encoded: Substring(String(buffer: body)))
    }
}
