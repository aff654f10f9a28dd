import FlowGuardEvents
import FlowGuardJSON
import Hummingbird

/// An error answer in FastAPI's shape: `{"detail": "..."}` plus optional fields, or the 422 list.
public struct GatewayError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var body: [UInt8]
    public var headers: HTTPFields

    public init(status: HTTPResponse.Status, body: [UInt8], headers: HTTPFields = [:]) {
        self.status = status
        self.body = body
        self.headers = headers
    }

    /// `{"detail": message, extra...}`.
    public static func detail(
        _ status: HTTPResponse.Status,
        _ message: String,
        extra: [(key: String, value: JSONValue)] = [],
        headers: HTTPFields = [:]
    ) -> GatewayError {
        let object = JSONObject([(key: "detail", value: .string(message))] + extra)
        return GatewayError(status: status, body: JSONWriter.serialize(.object(object)), headers: headers)
    }

    /// 422 with every validation issue.
    public static func validation(_ issues: [ValidationIssue]) -> GatewayError {
        GatewayError(status: .unprocessableContent, body: issues.fastAPIBody)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        .json(status, body, headers: headers)
    }

    /// The same answer, for the event fast path.
    var answer: JSONAnswer { JSONAnswer(status: status, body: body, headers: headers) }
}

/// A JSON answer as status, extra headers and serialised body, written by either HTTP path.
struct JSONAnswer: Sendable {
    var status: HTTPResponse.Status
    var body: [UInt8]
    var headers: HTTPFields = [:]
}

extension Response {
    /// A JSON answer from an already serialised body.
    static func json(_ status: HTTPResponse.Status, _ body: [UInt8], headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// A JSON answer from an object.
    static func json(_ status: HTTPResponse.Status, _ object: JSONObject, headers: HTTPFields = [:]) -> Response {
        json(status, JSONWriter.serialize(.object(object)), headers: headers)
    }
}
