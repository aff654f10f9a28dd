@testable import FlowGuardS3
@testable import FlowGuardSupport
import Testing

/// AWS's published SigV4 examples: the generic test suite ("Signature Version 4 test suite": AKIDEXAMPLE,
/// 2015-08-30, service `service`) and the S3 examples of "Authenticating Requests: Using the Authorization
/// Header" (AKIAIOSFODNN7EXAMPLE, 2013-05-24, examplebucket). The signatures are AWS's.
@Suite("S3: SigV4 signing against AWS's published test vectors, the XML reader, the retry policy")
struct S3SigV4Tests {
    static let suiteSigner = SigV4Signer(
        credentials: S3Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1", service: "service", encodesPathTwice: true
    )
    static let s3Signer = SigV4Signer(
        credentials: S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1", service: "s3"
    )
    static let suiteHeaders = [(name: "Host", value: "example.amazonaws.com"), (name: "X-Amz-Date", value: "20150830T123600Z")]
    static let s3Empty = SigV4Signer.emptyPayloadHash

    @Test("test suite: get-vanilla, get-vanilla-query-order-key-case, post-vanilla")
    func testSuite() {
        let vanilla = SigV4Signer.Request(method: "GET", path: "/", headers: Self.suiteHeaders, payloadHash: Self.s3Empty)
        #expect(Self.suiteSigner.canonicalRequest(vanilla) == """
            GET
            /

            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(Self.suiteSigner.authorization(vanilla, amzDate: "20150830T123600Z")
            == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")

        let queryOrder = SigV4Signer.Request(
            method: "GET", path: "/", query: [(name: "Param2", value: "value2"), (name: "Param1", value: "value1")],
            headers: Self.suiteHeaders, payloadHash: Self.s3Empty
        )
        #expect(Self.suiteSigner.signature(queryOrder, amzDate: "20150830T123600Z") == "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")

        let post = SigV4Signer.Request(method: "POST", path: "/", headers: Self.suiteHeaders, payloadHash: Self.s3Empty)
        #expect(Self.suiteSigner.signature(post, amzDate: "20150830T123600Z") == "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")
    }

    @Test("S3 example GET Object: canonical request, string to sign and signature")
    func s3GetObject() {
        let request = SigV4Signer.Request(
            method: "GET", path: "/test.txt",
            headers: [
                (name: "Host", value: "examplebucket.s3.amazonaws.com"), (name: "Range", value: "bytes=0-9"),
                (name: "x-amz-content-sha256", value: Self.s3Empty), (name: "x-amz-date", value: "20130524T000000Z"),
            ],
            payloadHash: Self.s3Empty
        )
        let canonical = Self.s3Signer.canonicalRequest(request)
        #expect(canonical == """
            GET
            /test.txt

            host:examplebucket.s3.amazonaws.com
            range:bytes=0-9
            x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            x-amz-date:20130524T000000Z

            host;range;x-amz-content-sha256;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(Self.s3Signer.stringToSign(canonicalRequest: canonical, amzDate: "20130524T000000Z") == """
            AWS4-HMAC-SHA256
            20130524T000000Z
            20130524/us-east-1/s3/aws4_request
            7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972
            """)
        #expect(Self.s3Signer.signature(request, amzDate: "20130524T000000Z") == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test("S3 example PUT Object: a key with $ is encoded once, the body's hash is signed")
    func s3PutObject() {
        let body = SigV4Signer.hexSHA256(Array("Welcome to Amazon S3.".utf8))
        #expect(body == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let request = SigV4Signer.Request(
            method: "PUT", path: "/test$file.text",
            headers: [
                (name: "Host", value: "examplebucket.s3.amazonaws.com"), (name: "Date", value: "Fri, 24 May 2013 00:00:00 GMT"),
                (name: "x-amz-date", value: "20130524T000000Z"), (name: "x-amz-storage-class", value: "REDUCED_REDUNDANCY"),
                (name: "x-amz-content-sha256", value: body),
            ],
            payloadHash: body
        )
        #expect(Self.s3Signer.canonicalRequest(request).hasPrefix("PUT\n/test%24file.text\n\n"))
        #expect(Self.s3Signer.signature(request, amzDate: "20130524T000000Z") == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    @Test("S3 examples GET Bucket Lifecycle and ListObjects: a name without value, sorted query parameters")
    func s3Queries() {
        let headers = [
            (name: "Host", value: "examplebucket.s3.amazonaws.com"), (name: "x-amz-date", value: "20130524T000000Z"),
            (name: "x-amz-content-sha256", value: Self.s3Empty),
        ]
        let lifecycle = SigV4Signer.Request(method: "GET", path: "/", query: [(name: "lifecycle", value: "")], headers: headers, payloadHash: Self.s3Empty)
        #expect(Self.s3Signer.signature(lifecycle, amzDate: "20130524T000000Z") == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
        let list = SigV4Signer.Request(
            method: "GET", path: "/", query: [(name: "prefix", value: "J"), (name: "max-keys", value: "2")], headers: headers, payloadHash: Self.s3Empty
        )
        #expect(Self.s3Signer.signature(list, amzDate: "20130524T000000Z") == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    @Test("x-amz-date from milliseconds; URI encoding keeps only unreserved bytes (and / in a path)")
    func dateAndEncoding() {
        #expect(SigV4Signer.amzDate(millis: 1_369_353_600_000) == "20130524T000000Z")
        #expect(SigV4Signer.amzDate(millis: 1_440_938_160_999) == "20150830T123600Z")
        #expect(S3URIEncoding.encode("topic=raw.orders.v1/a+b c~_-.", keepSlash: true) == "topic%3Draw.orders.v1/a%2Bb%20c~_-.")
        #expect(S3URIEncoding.encode("a/b") == "a%2Fb")
        #expect(S3URIEncoding.encode("é") == "%C3%A9")
    }

    @Test("credentials never show their secret or token when printed")
    func credentialsRedacted() {
        let credentials = S3Credentials(accessKeyID: "AKID", secretAccessKey: "very-secret", sessionToken: "token-value")
        let text = "\(credentials) \(String(describing: credentials)) \(String(reflecting: credentials))"
        #expect(!text.contains("very-secret"))
        #expect(!text.contains("token-value"))
        #expect(text.contains("AKID"))
    }

    @Test("the XML reader finds elements by exact name, decodes entities, and reads S3's error and list answers")
    func xml() {
        let error = "<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code><Message>The bucket &amp; &lt;x&gt; &#233;</Message></Error>"
        #expect(S3XML.value("Code", in: error) == "NoSuchBucket")
        #expect(S3XML.value("Message", in: error) == "The bucket & <x> é")
        let list = """
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><KeyCount>2</KeyCount><IsTruncated>true</IsTruncated>
            <Contents><Key>a&amp;b.gz</Key><Size>10</Size></Contents><Contents><Key>c.gz</Key><Size>20</Size></Contents>
            <NextContinuationToken>tok/en==</NextContinuationToken></ListBucketResult>
            """
        #expect(S3XML.values("Key", in: list) == ["a&b.gz", "c.gz"])
        #expect(S3XML.elements("Contents", in: list).count == 2)
        #expect(S3XML.value("KeyCount", in: list) == "2")
        #expect(S3XML.value("NextContinuationToken", in: list) == "tok/en==")
        #expect(S3XML.value("Prefix", in: "<A><Prefix/></A>") == "")
        #expect(S3XML.value("Missing", in: list) == nil)
        #expect(S3XML.escape("a&\"<>'") == "a&amp;&quot;&lt;&gt;&apos;")
    }

    @Test("errors: 5xx, 429, SlowDown and no answer are retried; 403, 404 and other 4xx are not, and say what to check")
    func errorClasses() {
        #expect(S3Error(status: 503, code: "SlowDown", message: "", operation: "PUT").isRetriable)
        #expect(S3Error(status: 500, code: nil, message: "", operation: "PUT").isRetriable)
        #expect(S3Error(status: nil, code: nil, message: "timed out", operation: "PUT").isRetriable)
        #expect(S3Error(status: 400, code: "RequestTimeout", message: "", operation: "PUT").isRetriable)
        let denied = S3Error(status: 403, code: "SignatureDoesNotMatch", message: "The request signature we calculated does not match", operation: "PUT b/k")
        #expect(!denied.isRetriable)
        #expect(denied.description == "PUT b/k: HTTP 403 SignatureDoesNotMatch: The request signature we calculated does not match (check AWS_SECRET_ACCESS_KEY)")
        #expect(!S3Error(status: 404, code: "NoSuchBucket", message: "", operation: "PUT").isRetriable)
    }

    @Test("the retry policy's waits grow to the cap with full jitter, and it stops at non-retriable errors and max attempts")
    func retryPolicy() async {
        let policy = S3RetryPolicy(baseDelay: .milliseconds(100), maxDelay: .seconds(1), maxAttempts: 4)
        var generator = SystemRandomNumberGenerator()
        for attempt in 1...10 {
            let delay = policy.delay(afterAttempt: attempt, using: &generator)
            #expect(delay >= .zero)
            #expect(delay <= min(.seconds(1), .milliseconds(100 * (1 << (attempt - 1)))))
        }
        let fast = S3RetryPolicy(baseDelay: .milliseconds(1), maxDelay: .milliseconds(2), maxAttempts: 4)
        var attempts = 0
        var retries = 0
        do {
            _ = try await fast.run({ () async throws(S3Error) -> Int in
                attempts += 1
                throw S3Error(status: 503, code: "SlowDown", message: "", operation: "PUT")
            }, onRetry: { _, _, _ in retries += 1 })
            Issue.record("a failing call succeeded")
        } catch {
            #expect(error.code == "SlowDown")
        }
        #expect(attempts == 4)
        #expect(retries == 3)
        attempts = 0
        do {
            _ = try await fast.run({ () async throws(S3Error) -> Int in
                attempts += 1
                throw S3Error(status: 403, code: "AccessDenied", message: "", operation: "PUT")
            })
        } catch {
            #expect(error.code == "AccessDenied")
        }
        #expect(attempts == 1)
        attempts = 0
        let value = try? await fast.run({ () async throws(S3Error) -> Int in
            attempts += 1
            if attempts < 3 { throw S3Error(status: nil, code: nil, message: "refused", operation: "PUT") }
            return 7
        })
        #expect(value == 7)
    }

    @Test("the configuration reads the AWS variables and needs both keys")
    func configurationFromEnvironment() throws {
        let environment = Environment(process: [
            "AWS_ACCESS_KEY_ID": "id", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "eu-west-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:9000/",
        ])
        let configuration = try S3Configuration(environment: environment)
        #expect(configuration.endpoint == "http://127.0.0.1:9000")
        #expect(configuration.hostHeader == "127.0.0.1:9000")
        #expect(configuration.region == "eu-west-1")
        let aws = try S3Configuration(environment: Environment(process: ["AWS_ACCESS_KEY_ID": "id", "AWS_SECRET_ACCESS_KEY": "s"]))
        #expect(aws.endpoint == "https://s3.us-east-1.amazonaws.com")
        #expect(throws: S3ConfigurationError.self) { try S3Configuration(environment: Environment(process: ["AWS_ACCESS_KEY_ID": "id"])) }
        #expect(throws: S3ConfigurationError.self) {
            try S3Configuration(environment: Environment(process: ["AWS_ACCESS_KEY_ID": "id", "AWS_SECRET_ACCESS_KEY": "s", "AWS_ENDPOINT_URL": "ftp://x"]))
        }
    }
}
