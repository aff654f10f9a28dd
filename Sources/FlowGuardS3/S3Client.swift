import AsyncHTTPClient
import FlowGuardSupport
import FoundationEssentials
import Logging
import NIOCore
import NIOHTTP1

/// The few S3 calls FlowGuard makes, signed with SigV4, path-style, over AsyncHTTPClient.
///
/// Each call is one attempt; `S3RetryPolicy` decides whether and when to try again. Credentials go only
/// into the signature and the `x-amz-security-token` header, and never into a log line or an error.
package struct S3Client: Sendable {
    package let configuration: S3Configuration
    let httpClient: HTTPClient
    let signer: SigV4Signer
    let logger: Logger
    /// The wall clock the signature's date comes from (milliseconds since the epoch); a test may fix it.
    let now: @Sendable () -> Int64

    package init(configuration: S3Configuration, httpClient: HTTPClient, logger: Logger, now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region)
        self.logger = logger
        self.now = now
    }

    /// A successful answer: status, headers and body.
    package struct Response: Sendable {
        package var status: Int
        package var headers: HTTPHeaders
        package var body: ByteBuffer
        package var text: String { String(buffer: body) }
    }

    /// Sends one signed request and returns a 2xx answer.
    /// - Throws: `S3Error`: the server's error answer, or no answer within the request timeout.
    package func send(
        _ method: HTTPMethod, bucket: String, key: String = "", query: [(name: String, value: String)] = [],
        headers extraHeaders: [(name: String, value: String)] = [], body: ByteBuffer? = nil, maxResponseBytes: Int = 16 << 20
    ) async throws(S3Error) -> Response {
        let path = key.isEmpty ? "/\(bucket)" : "/\(bucket)/\(key)"
        let operation = "\(method.rawValue) \(bucket)\(key.isEmpty ? "" : "/\(key)")"
        let payloadHash = body.map { SigV4Signer.hexSHA256($0.readableBytesView) } ?? SigV4Signer.emptyPayloadHash
        let amzDate = SigV4Signer.amzDate(millis: now())
        var signed: [(name: String, value: String)] = [
            (name: "host", value: configuration.hostHeader),
            (name: "x-amz-date", value: amzDate),
            (name: "x-amz-content-sha256", value: payloadHash),
        ]
        if let token = configuration.credentials.sessionToken {
            signed.append((name: "x-amz-security-token", value: token))
        }
        signed += extraHeaders
        let signing = SigV4Signer.Request(method: method.rawValue, path: path, query: query, headers: signed, payloadHash: payloadHash)

        var url = configuration.endpoint + S3URIEncoding.encode(path, keepSlash: true)
        if !query.isEmpty {
            // A name without value (`?uploads`) is sent bare; the signature's canonical query has it as `uploads=`.
            url += "?" + query.map { $0.value.isEmpty ? S3URIEncoding.encode($0.name) : "\(S3URIEncoding.encode($0.name))=\(S3URIEncoding.encode($0.value))" }.joined(separator: "&")
        }
        var request = HTTPClientRequest(url: url)
        request.method = method
        for header in signed where header.name != "host" {
            request.headers.add(name: header.name, value: header.value)
        }
        request.headers.add(name: "authorization", value: signer.authorization(signing, amzDate: amzDate))
        if let body {
            request.headers.add(name: "content-length", value: "\(body.readableBytes)")
            request.body = .bytes(body)
        }

        let response: HTTPClientResponse
        let collected: ByteBuffer
        do {
            response = try await httpClient.execute(request, timeout: .nanoseconds(configuration.requestTimeout.nanoseconds))
            collected = try await response.body.collect(upTo: maxResponseBytes)
        } catch {
            throw S3Error(status: nil, code: nil, message: Self.describeTransport(error), operation: operation)
        }
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            let text = String(buffer: collected)
            throw S3Error(
                status: status,
                code: S3XML.value("Code", in: text) ?? (status == 404 ? "NotFound" : nil),
                message: S3XML.value("Message", in: text) ?? response.status.reasonPhrase,
                operation: operation
            )
        }
        return Response(status: status, headers: response.headers, body: collected)
    }

    private static func describeTransport(_ error: any Error) -> String {
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timed out"
            default: return "\(clientError)"
            }
        }
        return "\(error)"
    }
}

