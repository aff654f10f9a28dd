import Crypto
import FlowGuardEvents
import FlowGuardSupport
import Hummingbird

/// Requires an API key (`X-API-Key: <key>` or `Authorization: Bearer <key>`) whose SHA-256 digest is
/// configured. Compared in constant time; keys are never logged. `GET /`, `/health*`, `/metrics` and
/// the documentation stay open unless `protectMetrics`; CORS preflights are never authenticated.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    private let digests: [[UInt8]]
    let protectMetrics: Bool

    /// - Parameter digests: lower-case or upper-case hex SHA-256 digests; invalid ones are rejected by `parseDigests`.
    init(digests: [[UInt8]], protectMetrics: Bool) {
        self.digests = digests
        self.protectMetrics = protectMetrics
    }

    /// Parses hex digests; throws naming the first invalid one (by position, never its text).
    static func parseDigests(_ lines: [String]) throws(CommandFailure) -> [[UInt8]] {
        var digests: [[UInt8]] = []
        for (index, line) in lines.enumerated() {
            let text = line.trimmingSpaces()
            if text.isEmpty || text.hasPrefix("#") { continue }
            guard text.count == 64, let bytes = hexBytes(text) else {
                throw CommandFailure("API key digest \(index + 1) is not 64 hex characters (a SHA-256 digest of the key)")
            }
            digests.append(bytes)
        }
        return digests
    }

    private static func hexBytes(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let h = hexValue(high), let l = hexValue(low) else { return nil }
            bytes.append(h << 4 | l)
        }
        return bytes
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
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
        if let key = Self.presentedKey(headers), isValid(key) { return nil }
        return GatewayError.detail(.unauthorized, "Missing or invalid API key", headers: [.wwwAuthenticate: "Bearer"])
    }

    private func requiresKey(_ path: String) -> Bool {
        if path.hasPrefix("/api/") { return true }
        if path == "/docs" || path == "/redoc" || path == "/openapi.json" { return false }
        return protectMetrics
    }

    private static func presentedKey(_ headers: HTTPFields) -> String? {
        if let key = headers[.xAPIKey], !key.isEmpty { return key }
        if let authorization = headers[.authorization], authorization.lowercased().hasPrefix("bearer ") {
            return authorization.dropFirst(7).trimmingSpaces()
        }
        return nil
    }

    /// Compares the key's digest with every configured digest without stopping early.
    private func isValid(_ key: String) -> Bool {
        let digest = Array(SHA256.hash(data: Array(key.utf8)))
        var matched: UInt8 = 1
        for candidate in digests {
            var difference: UInt8 = 0
            for (a, b) in zip(digest, candidate) { difference |= a ^ b }
            matched &= difference == 0 ? 0 : 1
        }
        return matched == 0
    }
}
