import NIOCore

extension S3Client {
    /// Objects larger than this go up in parts of this size (S3 wants every part but the last at least 5 MiB).
    package static let multipartPartSize = 8 << 20

    /// Stores an object of `size` bytes that `read(offset, length)` hands out in pieces: one PutObject up to
    /// `multipartPartSize`, a multipart upload above it (aborted when it fails). Each call is retried by `retry`.
    package func upload(
        bucket: String, key: String, size: Int, contentType: String, retry: S3RetryPolicy,
        onRetry: @escaping (S3Error, Int, Duration) -> Void = { _, _, _ in },
        read: (_ offset: Int, _ length: Int) throws(S3Error) -> ByteBuffer
    ) async throws(S3Error) {
        if size <= Self.multipartPartSize {
            let body = try read(0, size)
            try await retry.run({ () async throws(S3Error) in
                try await putObject(bucket: bucket, key: key, body: body, contentType: contentType)
            }, onRetry: onRetry)
            return
        }
        let uploadID = try await retry.run({ () async throws(S3Error) in
            try await createMultipartUpload(bucket: bucket, key: key, contentType: contentType)
        }, onRetry: onRetry)
        do {
            var etags: [String] = []
            var offset = 0
            while offset < size {
                let length = min(Self.multipartPartSize, size - offset)
                let part = try read(offset, length)
                let number = etags.count + 1
                etags.append(try await retry.run({ () async throws(S3Error) in
                    try await uploadPart(bucket: bucket, key: key, uploadID: uploadID, number: number, body: part)
                }, onRetry: onRetry))
                offset += length
            }
            try await retry.run({ () async throws(S3Error) in
                try await completeMultipartUpload(bucket: bucket, key: key, uploadID: uploadID, etags: etags)
            }, onRetry: onRetry)
        } catch {
            // Best effort: a failed abort leaves parts that a lifecycle rule cleans up; the error that matters is the first.
            try? await abortMultipartUpload(bucket: bucket, key: key, uploadID: uploadID)
            throw error
        }
    }
}
