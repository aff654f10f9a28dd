import FlowGuardEvents
import FlowGuardSupport
import Hummingbird

/// Requires an API key (`X-API-Key: <key>` or `Authorization: Bearer <key>`) whose SHA-256 digest is
/// configured. Compared in constant time; keys are never logged. `GET /`, `/health*`, `/metrics` and
/// the documentation stay open unless `protectMetrics`; CORS preflights are never authenticated.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    private let digests: APIKeyDigests
    let protectMetrics: Bool

    /// - Parameter digests: the accepted keys (`APIKeyDigests(lines:)` rejects malformed ones).
    init(digests: APIKeyDigests, protectMetrics: Bool) {
        self.digests = digests
        self.protectMetrics = protectMetrics
    }

    /// Parses hex digests; throws naming the first invalid one (by position, never its text).
    static func parseDigests(_ lines: [String]) throws(CommandFailure) -> APIKeyDigests {
        try APIKeyDigests(lines: lines)
    }

    /// The single-event routes, whose key `EventIngestor.refusal` checks for every transport.
    private static let singleEventPaths = Set(EventKind.allCases.map(\.path))

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .post, Self.singleEventPaths.contains(request.uri.path) {
            return try await next(request, context)
        }
        if let refusal = refusal(method: request.method, path: request.uri.path, headers: request.headers) {
            throw refusal
        }
        return try await next(request, context)
    }

    /// The 401 for a request that needs a key and did not present a valid one, else nil.
    func refusal(method: HTTPRequest.Method, path: String, headers: HTTPFields) -> GatewayError? {
        guard !digests.isEmpty, method != .options, requiresKey(path) else { return nil }
        if let key = APIKeyDigests.presentedKey(headers), digests.accepts(key) { return nil }
        return GatewayError.detail(.unauthorized, "Missing or invalid API key", headers: [.wwwAuthenticate: "Bearer"])
    }

    private func requiresKey(_ path: String) -> Bool {
        if path.hasPrefix("/api/") { return true }
        if path == "/docs" || path == "/redoc" || path == "/openapi.json" { return false }
        return protectMetrics
    }
}
