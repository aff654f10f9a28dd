import FlowGuardGateway
import FlowGuardJSON
import HTTPTypes
import Hummingbird
import Logging

extension HTTPField.Name {
    static let contentSecurityPolicy = HTTPField.Name("Content-Security-Policy")!
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let xCSRFToken = HTTPField.Name("X-CSRF-Token")!
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
}

/// Every answer's security headers, and every error as the client can read it: `{"detail": …}` with
/// its status under `/api/`, a page elsewhere. Nothing escapes as a 500 with a stack of framework text.
struct ConsoleErrorMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let console: Console

    /// Scripts and styles only from the console itself, no inline script, no plugins, no framing.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as ConsoleError {
            response = render(error, request)
        } catch let error as any HTTPResponseError {
            let message = error.status == .notFound ? "no page at \(request.uri.path)" : "\(error.status.reasonPhrase)"
            response = render(ConsoleError(error.status, message), request)
        } catch {
            console.logger.error("Console: unexpected error", metadata: ["error.message": .string("\(error)"), "http.path": .string(request.uri.path)])
            response = render(ConsoleError(.internalServerError, "the console failed to answer: \(error)"), request)
        }
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        response.headers[.xFrameOptions] = "DENY"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }

    private func render(_ error: ConsoleError, _ request: Request) -> Response {
        var headers: HTTPFields = [:]
        if error.status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        if request.uri.path.hasPrefix("/api/") || request.uri.path == "/api" {
            return ConsoleResponse.json(error.status, ["detail": .string(error.message)], headers: headers)
        }
        return ConsoleResponse.html(Layout.errorPage(error, context: console.pageContext(request)), status: error.status, headers: headers)
    }
}

/// With API keys configured, every page and API call needs one: `X-API-Key` or `Authorization:
/// Bearer` (the gateway's rule), or the session cookie a browser gets from `/login`. The style sheet,
/// the script and the sign-in page stay open so that the sign-in page renders.
struct ConsoleAuthMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let console: Console

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let keys = console.configuration.apiKeys
        let path = request.uri.path
        // /metrics stays open as the gateway's does: counts only, for a Prometheus that holds no key.
        guard !keys.isEmpty, !path.hasPrefix("/assets/"), path != "/login", path != "/metrics" else {
            return try await next(request, context)
        }
        if let key = APIKeyDigests.presentedKey(request.headers), keys.accepts(key) {
            return try await next(request, context)
        }
        if console.sessions.session(of: request) != nil {
            return try await next(request, context)
        }
        if path.hasPrefix("/api/") || request.method != .get {
            throw ConsoleError(.unauthorized, "missing or invalid API key (X-API-Key or Authorization: Bearer)")
        }
        return Response(status: .seeOther, headers: [.location: "/login?next=" + FormFields.encode(request.uri.string)])
    }
}

/// Answers the console builds.
enum ConsoleResponse {
    static func html(_ page: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    static func json(_ status: HTTPResponse.Status, _ value: JSONValue, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.serialize(value))))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}

extension Console {
    /// Refuses a write that a read-only console, a cross-site page or a request without the token makes.
    /// The Origin (or, without one, `Sec-Fetch-Site`) must be this console's; the token comes from the
    /// form's `csrf` field or the `X-CSRF-Token` header (API clients read it from `/api/session`).
    /// - Throws: `ConsoleError` 403 naming what is missing.
    func checkWrite(_ request: Request, formToken: String?) throws(ConsoleError) {
        guard !configuration.readOnly else { throw .forbidden("the console is read-only (--read-only)") }
        if let origin = request.headers[.origin] {
            // HTTP/1's Host header arrives as the request's authority.
            let host = request.head.authority ?? ""
            guard origin == "http://\(host)" || origin == "https://\(host)" else {
                throw .forbidden("cross-site request refused: Origin \(origin) is not this console's")
            }
        } else if let site = request.headers[.secFetchSite], site != "same-origin", site != "none" {
            throw .forbidden("cross-site request refused (Sec-Fetch-Site: \(site))")
        }
        let token = formToken ?? request.headers[.xCSRFToken]
        guard let token, Self.constantTimeEqual(token, csrfToken) else {
            throw .forbidden("missing or wrong CSRF token (the form's csrf field or the X-CSRF-Token header; GET /api/session gives it)")
        }
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for (p, q) in zip(x, y) { difference |= p ^ q }
        return difference == 0
    }
}
