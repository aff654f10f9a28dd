import FlowGuardSupport

/// Where the S3 store is and how to sign for it, from the standard `AWS_*` variables.
package struct S3Configuration: Sendable {
    /// The endpoint's scheme, host and port, such as `http://127.0.0.1:9000`; requests use path-style
    /// addressing (`ENDPOINT/BUCKET/KEY`), which MinIO, moto and every S3-compatible store accept.
    package var endpoint: String
    package var region: String
    package var credentials: S3Credentials
    /// How long one request may take before it counts as failed (and is retried when retrying is allowed).
    package var requestTimeout: Duration

    package init(endpoint: String, region: String = "us-east-1", credentials: S3Credentials, requestTimeout: Duration = .seconds(30)) {
        self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.region = region
        self.credentials = credentials
        self.requestTimeout = requestTimeout
    }

    /// The variables `init(environment:)` reads.
    package static let environmentVariables: [EnvironmentVariable] = [
        EnvironmentVariable("AWS_ACCESS_KEY_ID", help: "S3 access key id (required for s3:// destinations)"),
        EnvironmentVariable("AWS_SECRET_ACCESS_KEY", help: "S3 secret access key (required for s3:// destinations; never logged)"),
        EnvironmentVariable("AWS_SESSION_TOKEN", help: "S3 session token of temporary credentials (never logged)"),
        EnvironmentVariable("AWS_REGION", help: "S3 region (default: AWS_DEFAULT_REGION, then us-east-1)"),
        EnvironmentVariable("AWS_DEFAULT_REGION", help: "S3 region when AWS_REGION is not set"),
        EnvironmentVariable("AWS_ENDPOINT_URL", help: "S3-compatible endpoint such as http://127.0.0.1:9000 (MinIO); default https://s3.REGION.amazonaws.com"),
    ]

    /// The configuration the `AWS_*` variables describe.
    /// - Throws: `S3ConfigurationError` naming the variable that is missing or malformed.
    package init(environment: Environment) throws(S3ConfigurationError) {
        func value(_ name: String) -> String? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            return text
        }
        guard let keyID = value("AWS_ACCESS_KEY_ID") else {
            throw S3ConfigurationError("AWS_ACCESS_KEY_ID is not set (an s3:// destination needs credentials)")
        }
        guard let secret = value("AWS_SECRET_ACCESS_KEY") else {
            throw S3ConfigurationError("AWS_SECRET_ACCESS_KEY is not set (an s3:// destination needs credentials)")
        }
        let region = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") ?? "us-east-1"
        let endpoint = value("AWS_ENDPOINT_URL") ?? "https://s3.\(region).amazonaws.com"
        guard endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://") else {
            throw S3ConfigurationError("AWS_ENDPOINT_URL must start with http:// or https://, got '\(endpoint)'")
        }
        self.init(
            endpoint: endpoint, region: region,
            credentials: S3Credentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN"))
        )
    }

    /// The endpoint's `host[:port]`, as the `Host` header names it.
    package var hostHeader: String {
        let withoutScheme = endpoint.drop { $0 != "/" }.dropFirst(2)
        return String(withoutScheme.prefix { $0 != "/" })
    }
}

/// A missing or malformed `AWS_*` variable.
package struct S3ConfigurationError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
