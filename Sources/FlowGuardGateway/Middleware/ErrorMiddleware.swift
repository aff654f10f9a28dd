import FlowGuardSupport
import Hummingbird
import Logging

/// Turns every error into a JSON answer: Hummingbird's own errors in FastAPI's `{"detail": ...}` shape,
/// 404 for an unknown path and 405 (with `Allow`) for a known path with another method, and a
/// logged 500 for anything unexpected (never the client's fault).
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    /// The methods each path answers.
    let routes: [String: [HTTPRequest.Method]]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as GatewayError {
            throw error
        } catch let error as HTTPError {
            if error.status == .notFound, let methods = routes[request.uri.path] {
                let allow = methods.map(\.rawValue).joined(separator: ", ")
                throw GatewayError.detail(.methodNotAllowed, "Method Not Allowed", headers: [.allow: allow])
            }
            throw GatewayError.detail(error.status, error.body ?? error.status.reasonPhrase)
        } catch {
            context.logger.error("Unexpected error", metadata: [LoggingKeys.errorMessage: .string("\(error)")])
            throw GatewayError.detail(.internalServerError, "Internal Server Error")
        }
    }
}
