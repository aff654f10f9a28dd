import AsyncHTTPClient
@testable import FlowGuardS3
import Foundation
import Logging
import NIOCore
import Testing

/// A moto S3 server (the project's .venv, from `scripts/install-deps.sh --test`) on a free loopback port.
final class MotoServer: @unchecked Sendable {
    let process = Process()
    let endpoint: String

    init(environment extra: [String: String] = [:]) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let executable = root.appendingPathComponent(".venv/bin/moto_server").path
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw MotoMissing(path: executable)
        }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-H", "127.0.0.1", "-p", "0"]
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { _, new in new }
        // Its output goes to a file that is read until Werkzeug says where it listens.
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("moto-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while !text.contains("Running on http://") && Date() < deadline && process.isRunning {
            Thread.sleep(forTimeInterval: 0.05)
            text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        }
        try? FileManager.default.removeItem(at: log)
        guard let range = text.range(of: "Running on http://"), let line = text[range.upperBound...].split(separator: "\n").first else {
            process.terminate()
            throw MotoMissing(path: "moto_server did not start: \(text)")
        }
        endpoint = "http://" + line.trimmingCharacters(in: .whitespaces)
    }

    deinit {
        // SIGKILL: on SIGTERM Werkzeug waits for the threads of keep-alive connections that the shared
        // HTTP client may still hold open.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    struct MotoMissing: Error, CustomStringConvertible {
        var path: String
        var description: String { "\(path) is missing; run scripts/install-deps.sh --test" }
    }
}

@Suite("S3: the client against a real S3 server (moto): objects, multipart, listing, errors", .serialized)
struct S3MotoTests {
    static func client(_ moto: MotoServer, secret: String = "secret") -> S3Client {
        S3Client(
            configuration: S3Configuration(endpoint: moto.endpoint, credentials: S3Credentials(accessKeyID: "AKIDTEST", secretAccessKey: secret), requestTimeout: .seconds(30)),
            httpClient: HTTPClient.shared, logger: Logger(label: "test")
        )
    }

    @Test("put, head, get and list round-trip keys with the layout's characters; a missing object is nil")
    func objects() async throws {
        let moto = try MotoServer()
        let client = Self.client(moto)
        try await client.createBucket("lake")
        try await client.headBucket("lake")
        let keys = [
            "events/topic=raw.orders.v1/dt=2026-12-04/hr=15/raw.orders.v1+3+0000000000000000042.ndjson.gz",
            "events/odd name & more é~.gz",
        ]
        for (index, key) in keys.enumerated() {
            try await client.putObject(bucket: "lake", key: key, body: ByteBuffer(string: "body \(index)"))
        }
        #expect(try await client.headObject(bucket: "lake", key: keys[0])?.size == 6)
        #expect(try await client.headObject(bucket: "lake", key: "events/none") == nil)
        #expect(String(buffer: try await client.getObject(bucket: "lake", key: keys[1])) == "body 1")
        #expect(try await client.listObjects(bucket: "lake", prefix: "events/").map(\.key) == keys.sorted())
        #expect(try await client.listObjects(bucket: "lake", prefix: "events/topic=").map(\.key) == [keys[0]])
    }

    @Test("listing follows continuation tokens over many pages")
    func pagination() async throws {
        let moto = try MotoServer()
        let client = Self.client(moto)
        try await client.createBucket("pages")
        let keys = (0..<23).map { "p/\(String(format: "%03d", $0))" }
        for key in keys {
            try await client.putObject(bucket: "pages", key: key, body: ByteBuffer(string: key))
        }
        #expect(try await client.listObjects(bucket: "pages", prefix: "p/", pageSize: 5).map(\.key) == keys)
    }

    @Test("an object over 8 MiB goes up in parts and reads back byte for byte; a small one in one PUT")
    func multipart() async throws {
        let moto = try MotoServer()
        let client = Self.client(moto)
        try await client.createBucket("big")
        var generator = SystemRandomNumberGenerator()
        let size = 19 << 20
        // Random, so that no part can pass for another; eight bytes per draw keeps a debug build quick.
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            UnsafeMutableRawBufferPointer(buffer).withMemoryRebound(to: UInt64.self) { words in
                for index in words.indices { words[index] = generator.next() }
            }
            count = size
        }
        var reads: [Int] = []
        try await client.upload(bucket: "big", key: "k/big.bin", size: size, contentType: "application/octet-stream", retry: S3RetryPolicy(maxAttempts: 3)) { offset, length in
            reads.append(length)
            return ByteBuffer(bytes: bytes[offset..<(offset + length)])
        }
        #expect(reads == [8 << 20, 8 << 20, 3 << 20])
        let back = try await client.getObject(bucket: "big", key: "k/big.bin")
        #expect(back.readableBytes == size)
        #expect(Array(back.readableBytesView) == bytes)
        try await client.upload(bucket: "big", key: "k/small.bin", size: 10, contentType: "application/octet-stream", retry: S3RetryPolicy(maxAttempts: 3)) { offset, length in
            ByteBuffer(bytes: bytes[offset..<(offset + length)])
        }
        #expect(try await client.headObject(bucket: "big", key: "k/small.bin")?.size == 10)
    }

    @Test("no such bucket is a 404 NoSuchBucket that is not retried")
    func missingBucket() async throws {
        let moto = try MotoServer()
        let client = Self.client(moto)
        do {
            try await client.putObject(bucket: "absent", key: "k", body: ByteBuffer(string: "x"))
            Issue.record("a PUT into a missing bucket succeeded")
        } catch {
            #expect(error.status == 404)
            #expect(error.code == "NoSuchBucket")
            #expect(!error.isRetriable)
        }
        do {
            try await client.headBucket("absent")
            Issue.record("HEAD of a missing bucket succeeded")
        } catch {
            #expect(error.code == "NoSuchBucket")
        }
    }

    @Test("with moto checking signatures, the right secret is accepted and a wrong one gets 403 SignatureDoesNotMatch")
    func wrongSecret() async throws {
        // The first three actions are allowed unsigned: they create the user, its policy and its key.
        let moto = try MotoServer(environment: ["INITIAL_NO_AUTH_ACTION_COUNT": "3"])
        let (keyID, secret) = try await Self.createAccessKey(moto)
        let good = S3Client(
            configuration: S3Configuration(endpoint: moto.endpoint, credentials: S3Credentials(accessKeyID: keyID, secretAccessKey: secret)),
            httpClient: HTTPClient.shared, logger: Logger(label: "test")
        )
        try await good.createBucket("signed")
        try await good.putObject(bucket: "signed", key: "a", body: ByteBuffer(string: "x"))
        let bad = S3Client(
            configuration: S3Configuration(endpoint: moto.endpoint, credentials: S3Credentials(accessKeyID: keyID, secretAccessKey: secret + "x")),
            httpClient: HTTPClient.shared, logger: Logger(label: "test")
        )
        do {
            try await bad.putObject(bucket: "signed", key: "b", body: ByteBuffer(string: "x"))
            Issue.record("a wrong secret was accepted")
        } catch {
            #expect(error.status == 403)
            #expect(error.code == "SignatureDoesNotMatch")
            #expect(!error.isRetriable)
            #expect(error.description.contains("check AWS_SECRET_ACCESS_KEY"))
            #expect(!error.description.contains(secret))
        }
    }

    /// IAM through moto's query API: a user allowed s3:*, and an access key of it.
    static func createAccessKey(_ moto: MotoServer) async throws -> (String, String) {
        func iam(_ parameters: String) async throws -> String {
            var request = HTTPClientRequest(url: moto.endpoint + "/")
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/x-www-form-urlencoded")
            // moto routes by the signing scope's service; the signature is not checked for these first actions.
            request.headers.add(name: "authorization", value: "AWS4-HMAC-SHA256 Credential=AKIDSETUP/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0")
            request.body = .bytes(ByteBuffer(string: parameters + "&Version=2010-05-08"))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            return String(buffer: try await response.body.collect(upTo: 1 << 20))
        }
        _ = try await iam("Action=CreateUser&UserName=dumper")
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#
            .addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        _ = try await iam("Action=PutUserPolicy&UserName=dumper&PolicyName=s3&PolicyDocument=\(policy)")
        let answer = try await iam("Action=CreateAccessKey&UserName=dumper")
        let keyID = try #require(S3XML.value("AccessKeyId", in: answer))
        let secret = try #require(S3XML.value("SecretAccessKey", in: answer))
        return (keyID, secret)
    }
}
