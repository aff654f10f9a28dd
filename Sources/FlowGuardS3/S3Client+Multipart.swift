import NIOCore

extension S3Client {
    /// Starts a multipart upload and returns its id.
    package func createMultipartUpload(bucket: String, key: String, contentType: String = "application/octet-stream") async throws(S3Error) -> String {
        let text = try await send(.POST, bucket: bucket, key: key, query: [(name: "uploads", value: "")], headers: [(name: "content-type", value: contentType)]).text
        guard let id = S3XML.value("UploadId", in: text), !id.isEmpty else {
            throw S3Error(status: 200, code: nil, message: "the answer to CreateMultipartUpload has no UploadId", operation: "POST \(bucket)/\(key)?uploads")
        }
        return id
    }

    /// Uploads part `number` (from 1) and returns its ETag.
    package func uploadPart(bucket: String, key: String, uploadID: String, number: Int, body: ByteBuffer) async throws(S3Error) -> String {
        let response = try await send(
            .PUT, bucket: bucket, key: key,
            query: [(name: "partNumber", value: "\(number)"), (name: "uploadId", value: uploadID)], body: body
        )
        guard let etag = response.headers.first(name: "etag") else {
            throw S3Error(status: response.status, code: nil, message: "the answer to UploadPart has no ETag", operation: "PUT \(bucket)/\(key) part \(number)")
        }
        return etag
    }

    /// Completes the upload from its parts' ETags, in part order.
    package func completeMultipartUpload(bucket: String, key: String, uploadID: String, etags: [String]) async throws(S3Error) {
        var xml = "<CompleteMultipartUpload>"
        for (index, etag) in etags.enumerated() {
            xml += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(S3XML.escape(etag))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        let response = try await send(
            .POST, bucket: bucket, key: key, query: [(name: "uploadId", value: uploadID)],
            headers: [(name: "content-type", value: "application/xml")], body: ByteBuffer(string: xml)
        )
        // S3 may answer 200 with an error document when the completion failed after it started.
        let text = response.text
        if text.contains("<Error>") {
            throw S3Error(status: response.status, code: S3XML.value("Code", in: text), message: S3XML.value("Message", in: text) ?? "", operation: "POST \(bucket)/\(key)?uploadId")
        }
    }

    /// Abandons an upload so that its parts stop taking space.
    package func abortMultipartUpload(bucket: String, key: String, uploadID: String) async throws(S3Error) {
        _ = try await send(.DELETE, bucket: bucket, key: key, query: [(name: "uploadId", value: uploadID)])
    }
}
