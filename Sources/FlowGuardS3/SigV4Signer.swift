import Crypto
import FlowGuardSupport

/// Signs HTTP requests with AWS Signature Version 4, as AWS's "Signature Version 4 signing process" and
/// S3's "Authenticating Requests (AWS Signature Version 4)" describe it: a canonical request, a string to
/// sign, a signing key derived from the secret by date, region and service, and the `Authorization` header.
package struct SigV4Signer: Sendable {
    package var credentials: S3Credentials
    package var region: String
    package var service: String
    /// S3 signs the path as sent, encoded once; every other service encodes the encoded path again.
    package var encodesPathTwice: Bool

    package init(credentials: S3Credentials, region: String, service: String = "s3", encodesPathTwice: Bool = false) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.encodesPathTwice = encodesPathTwice
    }

    /// What is signed of a request.
    package struct Request: Sendable {
        package var method: String
        /// The path, not yet percent-encoded (an S3 key as it is, `/bucket/dir/a b.gz`).
        package var path: String
        /// The query's names and values, not yet percent-encoded; a name without value has "".
        package var query: [(name: String, value: String)]
        /// Every header to sign, `host` and `x-amz-date` included (names in any case).
        package var headers: [(name: String, value: String)]
        /// The hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`.
        package var payloadHash: String

        package init(method: String, path: String, query: [(name: String, value: String)] = [], headers: [(name: String, value: String)], payloadHash: String) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.payloadHash = payloadHash
        }
    }

    /// The hex SHA-256 of an empty body.
    package static let emptyPayloadHash = hexSHA256([])

    /// `YYYYMMDDTHHMMSSZ`, the `x-amz-date` of an instant.
    package static func amzDate(millis: Int64) -> String {
        // 2026-11-25T10:00:00.000Z -> 20261125T100000Z
        let text = RFC3339.format(millis: millis)
        return String(text.prefix(19).filter { $0 != "-" && $0 != ":" }) + "Z"
    }

    /// The canonical request: method, URI, query, headers, signed headers and payload hash, one per line.
    package func canonicalRequest(_ request: Request) -> String {
        var uri = S3URIEncoding.encode(request.path.isEmpty ? "/" : request.path, keepSlash: true)
        if encodesPathTwice { uri = S3URIEncoding.encode(uri, keepSlash: true) }
        let encoded: [(name: String, value: String)] = request.query.map { (name: S3URIEncoding.encode($0.name), value: S3URIEncoding.encode($0.value)) }
        let sorted = encoded.sorted { (a: (name: String, value: String), b: (name: String, value: String)) -> Bool in
            a.name == b.name ? a.value < b.value : a.name < b.name
        }
        let query: String = sorted.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        let headers = Self.canonicalHeaders(request.headers)
        return [
            request.method,
            uri,
            query,
            headers.map { "\($0.name):\($0.value)\n" }.joined(),
            headers.map(\.name).joined(separator: ";"),
            request.payloadHash,
        ].joined(separator: "\n")
    }

    /// The headers as signed: names in lower case and sorted, values trimmed with inner runs of spaces
    /// collapsed, repeated names joined with commas.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        var merged: [String: [String]] = [:]
        for header in headers {
            merged[header.name.lowercased(), default: []].append(collapseSpaces(header.value))
        }
        return merged.keys.sorted().map { (name: $0, value: merged[$0]!.joined(separator: ",")) }
    }

    private static func collapseSpaces(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// `date/region/service/aws4_request`.
    package func scope(amzDate: String) -> String {
        "\(amzDate.prefix(8))/\(region)/\(service)/aws4_request"
    }

    /// The string to sign: algorithm, date, scope and the hash of the canonical request.
    package func stringToSign(canonicalRequest: String, amzDate: String) -> String {
        ["AWS4-HMAC-SHA256", amzDate, scope(amzDate: amzDate), Self.hexSHA256(Array(canonicalRequest.utf8))].joined(separator: "\n")
    }

    /// The hex signature of a request signed at `amzDate`.
    package func signature(_ request: Request, amzDate: String) -> String {
        let toSign = stringToSign(canonicalRequest: canonicalRequest(request), amzDate: amzDate)
        let key = signingKey(day: String(amzDate.prefix(8)))
        return Self.hex(HMAC<SHA256>.authenticationCode(for: Array(toSign.utf8), using: key))
    }

    /// The `Authorization` header's value.
    package func authorization(_ request: Request, amzDate: String) -> String {
        let signedHeaders = Self.canonicalHeaders(request.headers).map(\.name).joined(separator: ";")
        return "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope(amzDate: amzDate)), SignedHeaders=\(signedHeaders), Signature=\(signature(request, amzDate: amzDate))"
    }

    /// HMAC chain from `AWS4` + secret over the day, region, service and `aws4_request`.
    func signingKey(day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }

    package static func hexSHA256<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(data: Array(bytes))
        return hex(hasher.finalize())
    }

    package static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var output: [UInt8] = []
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}
