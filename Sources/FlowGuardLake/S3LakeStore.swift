import FlowGuardS3
import Logging
import NIOCore

/// A lake in an S3 bucket: PutObject up to 8 MiB, multipart above, retried with backoff and jitter.
package struct S3LakeStore: LakeStore {
    package let client: S3Client
    package let bucket: String
    package let prefix: String
    package let retry: S3RetryPolicy
    /// Told of every failed attempt that will be retried (for the logs and the metrics).
    package let onRetry: @Sendable (S3Error, Int, Duration) -> Void

    package init(client: S3Client, bucket: String, prefix: String, retry: S3RetryPolicy = S3RetryPolicy(), onRetry: @escaping @Sendable (S3Error, Int, Duration) -> Void = { _, _, _ in }) {
        self.client = client
        self.bucket = bucket
        self.prefix = prefix
        self.retry = retry
        self.onRetry = onRetry
    }

    package var destination: LakeDestination { .s3(bucket: bucket, prefix: prefix) }

    package func prepare() async throws(LakeError) {
        do {
            try await retry.run({ () async throws(S3Error) in try await client.checkBucket(bucket, prefix: prefix) }, onRetry: onRetry)
        } catch {
            throw LakeError("s3://\(bucket): \(error)")
        }
    }

    package func store(key: String, file: SpoolFile) async throws(LakeError) {
        do {
            try await client.upload(
                bucket: bucket, key: key, size: file.size, contentType: "application/x-ndjson", retry: retry, onRetry: onRetry
            ) { (offset, length) throws(S3Error) -> ByteBuffer in
                do throws(LakeError) {
                    return ByteBuffer(bytes: try file.read(offset: offset, length: length))
                } catch {
                    throw S3Error(status: nil, code: "SpoolUnreadable", message: error.message, operation: "read spool")
                }
            }
        } catch {
            throw LakeError("s3://\(bucket)/\(key): \(error)")
        }
    }

    package func list(prefix listPrefix: String) async throws(LakeError) -> [String] {
        do {
            return try await retry.run({ () async throws(S3Error) in
                try await client.listObjects(bucket: bucket, prefix: listPrefix)
            }, onRetry: onRetry).map(\.key)
        } catch {
            throw LakeError("s3://\(bucket)/\(listPrefix): \(error)")
        }
    }

    package func read(key: String) async throws(LakeError) -> [UInt8] {
        do {
            let buffer = try await retry.run({ () async throws(S3Error) in
                try await client.getObject(bucket: bucket, key: key)
            }, onRetry: onRetry)
            return Array(buffer.readableBytesView)
        } catch {
            throw LakeError("s3://\(bucket)/\(key): \(error)")
        }
    }
}
