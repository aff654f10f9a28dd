import FlowGuardSupport
import Hummingbird
import Logging

/// One access log line per request (method, path, status, duration, request id) and the request metrics.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let metrics: GatewayMetrics
    let logger: Logger
    let enabled: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context: context, status: response.status.code, started: started)
            return response
        } catch let error as any HTTPResponseError {
            record(request, context: context, status: error.status.code, started: started)
            throw error
        }
    }

    private func record(_ request: Request, context: Context, status: Int, started: ContinuousClock.Instant) {
        record(method: request.method, path: request.uri.path, status: status, started: started, requestID: context.requestID)
    }

    /// Records one answered request: its metrics, and its log line when the access log is on.
    func record(method: HTTPRequest.Method, path: String, status: Int, started: ContinuousClock.Instant, requestID: String) {
        let duration = ContinuousClock.now - started
        metrics.recordRequest(route: Self.routeLabel(path), method: method.rawValue, status: status, duration: duration)
        guard enabled else { return }
        logger.info(
            "\(method.rawValue) \(path) \(status)",
            metadata: [
                LoggingKeys.method: .string(method.rawValue),
                LoggingKeys.path: .string(path),
                LoggingKeys.status: .stringConvertible(status),
                LoggingKeys.durationMillis: .string((Double(duration.nanoseconds) / 1e6).formatted(decimals: 2)),
                LoggingKeys.requestID: .string(requestID),
            ]
        )
    }

    /// Known routes keep their path as the metrics label; anything else is `other`, so that
    /// random paths cannot grow the number of series without bound.
    static func routeLabel(_ path: String) -> String {
        GatewayRoutes.knownPaths.contains(path) ? path : "other"
    }
}
