import NIOCore

extension S3Client {
    /// Metadata of a stored object.
    package struct ObjectInfo: Sendable, Equatable {
        package var key: String
        package var size: Int64
        package var etag: String?
    }

    /// Stores `body` as `key`, replacing any object of that name.
    package func putObject(bucket: String, key: String, body: ByteBuffer, contentType: String = "application/octet-stream", contentEncoding: String? = nil) async throws(S3Error) {
        var headers = [(name: "content-type", value: contentType)]
        if let contentEncoding { headers.append((name: "content-encoding", value: contentEncoding)) }
        _ = try await send(.PUT, bucket: bucket, key: key, headers: headers, body: body)
    }

    /// The object's size and ETag, or nil when there is no such object.
    package func headObject(bucket: String, key: String) async throws(S3Error) -> ObjectInfo? {
        do {
            let response = try await send(.HEAD, bucket: bucket, key: key)
            return ObjectInfo(
                key: key,
                size: response.headers.first(name: "content-length").flatMap { Int64($0) } ?? 0,
                etag: response.headers.first(name: "etag")
            )
        } catch where error.status == 404 {
            return nil
        }
    }

    /// The whole object.
    package func getObject(bucket: String, key: String, maxBytes: Int = 1 << 30) async throws(S3Error) -> ByteBuffer {
        try await send(.GET, bucket: bucket, key: key, maxResponseBytes: maxBytes).body
    }

    /// Creates a bucket (in the client's region when it is not us-east-1); for set-up and tests, the dumper never creates one.
    package func createBucket(_ bucket: String) async throws(S3Error) {
        let body: ByteBuffer? = configuration.region == "us-east-1" ? nil : ByteBuffer(
            string: "<CreateBucketConfiguration><LocationConstraint>\(S3XML.escape(configuration.region))</LocationConstraint></CreateBucketConfiguration>"
        )
        _ = try await send(.PUT, bucket: bucket, body: body)
    }

    /// Whether the bucket exists and these credentials may read it (HEAD on the bucket).
    /// - Throws: `S3Error`, such as 404 `NoSuchBucket` or 403.
    package func headBucket(_ bucket: String) async throws(S3Error) {
        do {
            _ = try await send(.HEAD, bucket: bucket)
        } catch where error.status == 404 {
            // A HEAD answer has no body, so the code is the status's.
            var missing = error
            missing.code = "NoSuchBucket"
            missing.message = "the bucket does not exist"
            throw missing
        } catch where error.status == 403 && error.code == nil {
            var denied = error
            denied.code = "AccessDenied"
            denied.message = "the server refused the request (a wrong secret or no permission)"
            throw denied
        }
    }

    /// Whether the bucket exists and these credentials may use it: one listing of at most one key. Unlike
    /// HeadBucket, whose answers have no body, its error names the cause (`SignatureDoesNotMatch`,
    /// `InvalidAccessKeyId`, `NoSuchBucket`, `AccessDenied`); both need the same permission.
    package func checkBucket(_ bucket: String, prefix: String) async throws(S3Error) {
        _ = try await send(.GET, bucket: bucket, query: [(name: "list-type", value: "2"), (name: "max-keys", value: "1"), (name: "prefix", value: prefix)])
    }

    /// Every object whose key starts with `prefix`, in key order, one page (up to `pageSize`, S3's most
    /// is 1,000) at a time.
    package func listObjects(bucket: String, prefix: String, pageSize: Int = 1000) async throws(S3Error) -> [ObjectInfo] {
        var objects: [ObjectInfo] = []
        var token: String?
        repeat {
            var query = [(name: "list-type", value: "2"), (name: "prefix", value: prefix), (name: "max-keys", value: "\(pageSize)")]
            if let token { query.append((name: "continuation-token", value: token)) }
            let text = try await send(.GET, bucket: bucket, query: query).text
            for contents in S3XML.elements("Contents", in: text) {
                guard let key = S3XML.value("Key", in: contents) else { continue }
                objects.append(ObjectInfo(
                    key: key,
                    size: S3XML.value("Size", in: contents).flatMap { Int64($0) } ?? 0,
                    etag: S3XML.value("ETag", in: contents)
                ))
            }
            token = S3XML.value("IsTruncated", in: text) == "true" ? S3XML.value("NextContinuationToken", in: text) : nil
        } while token != nil
        return objects
    }
}
