import Hummingbird

/// CORS for an allowlist of origins: answers preflights (`OPTIONS` with
/// `Access-Control-Request-Method`) itself and adds the headers to answers for allowed origins.
/// `*` allows any origin; credentials are never allowed (keys travel in headers, not cookies).
struct CORSAllowlistMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let origins: Set<String>
    static let allowedHeaders = "Content-Type, X-API-Key, Authorization, X-Request-ID"
    static let exposedHeaders = "X-Request-ID, X-Duplicate, Retry-After"

    init(origins: [String]) {
        self.origins = Set(origins)
    }

    private func allowedOrigin(_ origin: String) -> String? {
        if origins.contains("*") { return "*" }
        return origins.contains(origin) ? origin : nil
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !origins.isEmpty, let origin = request.headers[.origin] else {
            return try await next(request, context)
        }
        let allowed = allowedOrigin(origin)
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            guard let allowed else {
                throw GatewayError.detail(.forbidden, "Origin '\(origin)' is not allowed")
            }
            let methods = GatewayRoutes.methods[request.uri.path] ?? [.get, .post]
            var headers: HTTPFields = [
                .accessControlAllowOrigin: allowed,
                .accessControlAllowMethods: (methods + [.options]).map(\.rawValue).joined(separator: ", "),
                .accessControlAllowHeaders: Self.allowedHeaders,
                .accessControlMaxAge: "600",
            ]
            if allowed != "*" { headers[.vary] = "Origin" }
            return Response(status: .noContent, headers: headers)
        }
        guard let allowed else {
            return try await next(request, context)
        }
        func decorate(_ headers: inout HTTPFields) {
            headers[.accessControlAllowOrigin] = allowed
            headers[.accessControlExposeHeaders] = Self.exposedHeaders
            if allowed != "*" { headers[.vary] = "Origin" }
        }
        do {
            var response = try await next(request, context)
            decorate(&response.headers)
            return response
        } catch let error as GatewayError {
            var error = error
            decorate(&error.headers)
            throw error
        }
    }
}
