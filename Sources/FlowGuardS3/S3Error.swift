/// A failed S3 call: the server's answer (status, `<Code>`, `<Message>`) or the transport's failure.
package struct S3Error: Error, Sendable, CustomStringConvertible {
    /// The HTTP status; nil when no answer came (refused, reset, timed out).
    package var status: Int?
    /// S3's error code, such as `NoSuchBucket`, `AccessDenied`, `SignatureDoesNotMatch`, `SlowDown`.
    package var code: String?
    package var message: String
    /// What was asked: `PUT bucket/key`.
    package var operation: String

    package init(status: Int?, code: String?, message: String, operation: String) {
        self.status = status
        self.code = code
        self.message = message
        self.operation = operation
    }

    /// Whether trying again may succeed: no answer, a 5xx, 429, or S3's throttling and timeout codes.
    /// Any other 4xx (no such bucket, access denied, a wrong signature) answers the same however often asked.
    package var isRetriable: Bool {
        guard let status else { return true }
        if status >= 500 || status == 429 || status == 408 { return true }
        return ["SlowDown", "RequestTimeout", "RequestTimeTooSkewed", "InternalError", "ServiceUnavailable", "Throttling"].contains(code ?? "")
    }

    package var description: String {
        var text = "\(operation): "
        if let status { text += "HTTP \(status)" } else { text += "no answer" }
        if let code { text += " \(code)" }
        if !message.isEmpty { text += ": \(message)" }
        if let hint { text += " (\(hint))" }
        return text
    }

    /// What an operator should check, for the answers that have one cause.
    private var hint: String? {
        switch code {
        case "SignatureDoesNotMatch": "check AWS_SECRET_ACCESS_KEY"
        case "InvalidAccessKeyId": "check AWS_ACCESS_KEY_ID"
        case "NoSuchBucket": "create the bucket, or check the s3:// URL"
        case "AccessDenied": "the credentials may not write this bucket or prefix"
        default: nil
        }
    }
}
