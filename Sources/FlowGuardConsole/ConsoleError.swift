import Hummingbird

/// A request the console cannot answer as asked: an unknown topic, a malformed query, an offset out
/// of range, an unreachable cluster. The API answers it as `{"detail": message}` with its status,
/// a page as a readable message; never a 500.
package struct ConsoleError: Error, Sendable, Equatable {
    package var status: HTTPResponse.Status
    package var message: String

    package init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    /// 400: a query parameter or form field is malformed; the message names it.
    package static func badRequest(_ message: String) -> ConsoleError { ConsoleError(.badRequest, message) }
    /// 404: no such topic, partition, record or page.
    package static func notFound(_ message: String) -> ConsoleError { ConsoleError(.notFound, message) }
    /// 503: Kafka did not answer in time.
    package static func unavailable(_ message: String) -> ConsoleError { ConsoleError(.serviceUnavailable, message) }
    /// 403: a write refused (read-only console, cross-site request, missing token).
    package static func forbidden(_ message: String) -> ConsoleError { ConsoleError(.forbidden, message) }
}
