import HTTPTypes
import Hummingbird
import Synchronization

/// Gives every request an id: the client's `X-Request-ID` when it is usable (1–128 visible ASCII
/// characters), else a new one; echoes it on every answer, errors included.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    /// The longest client id used as given.
    static let maxLength = 128

    private static let prefix: String = {
        var generator = SystemRandomNumberGenerator()
        return String(generator.next() as UInt32, radix: 16)
    }()
    private static let counter = Atomic<UInt64>(0)

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let id = Self.requestID(given: request.headers[.xRequestID])
        context.requestID = id
        do {
            var response = try await next(request, context)
            response.headers[.xRequestID] = id
            return response
        } catch let error as any HTTPResponseError {
            var response = try error.response(from: request, context: context)
            response.headers[.xRequestID] = id
            return response
        }
    }

    /// The client's id when it is usable, else a new one.
    static func requestID(given: String?) -> String {
        if let given, isUsable(given) { return given }
        return "\(prefix)-\(counter.add(1, ordering: .relaxed).newValue)"
    }

    static func isUsable(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= maxLength && id.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }
}
