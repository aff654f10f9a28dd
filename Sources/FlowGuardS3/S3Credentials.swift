/// The keys that sign S3 requests. Their description never shows the secret or the session token, so that
/// a credentials value can be logged or interpolated by mistake without leaking them.
package struct S3Credentials: Sendable, Equatable, CustomStringConvertible {
    package var accessKeyID: String
    package var secretAccessKey: String
    /// The temporary credentials' token (`AWS_SESSION_TOKEN`), sent as `x-amz-security-token`.
    package var sessionToken: String?

    package init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    package var description: String {
        "S3Credentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>\(sessionToken == nil ? "" : ", sessionToken: <redacted>"))"
    }
}
