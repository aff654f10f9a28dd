// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "flowguard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "flowguard", targets: ["flowguard"]),
    ],
    dependencies: [
        // No default traits: "FullFoundation" would link Foundation (and ICU) for URL-encoded forms, which
        // FlowGuard does not use; "ConfigurationSupport" is swift-configuration, which it does not use either.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        .systemLibrary(
            name: "CYaml",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // The modules, from the bottom up; the arrows are in docs/architecture.md. SwiftPM refuses a
        // cycle, and each C library is a dependency of exactly one module.
        .target(name: "FlowGuardJSON"),
        .target(
            name: "FlowGuardSupport",
            dependencies: [
                "FlowGuardJSON",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "FlowGuardKafka",
            dependencies: [
                "CRdKafka",
                "FlowGuardJSON",
                "FlowGuardSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "FlowGuardConfig",
            dependencies: [
                "CYaml",
                "FlowGuardKafka",
                "FlowGuardSupport",
            ]
        ),
        .target(
            name: "FlowGuardEvents",
            dependencies: [
                "FlowGuardJSON",
                "FlowGuardKafka",
                "FlowGuardSupport",
            ]
        ),
        .target(
            name: "FlowGuardGateway",
            dependencies: [
                "FlowGuardEvents",
                "FlowGuardJSON",
                "FlowGuardKafka",
                "FlowGuardSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            ]
        ),
        .target(
            name: "FlowGuardSimulator",
            dependencies: [
                "FlowGuardEvents",
                "FlowGuardJSON",
                "FlowGuardKafka",
                "FlowGuardSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // S3's few calls (SigV4, PutObject, multipart, HeadObject, ListObjectsV2, GetObject); knows nothing of Kafka.
        .target(
            name: "FlowGuardS3",
            dependencies: [
                "FlowGuardSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // `dump`: Kafka to a data lake, exactly once (writers, spool, rotation, naming, commits, verify).
        .target(
            name: "FlowGuardLake",
            dependencies: [
                "FlowGuardEvents",
                "FlowGuardJSON",
                "FlowGuardKafka",
                "FlowGuardS3",
                "FlowGuardSupport",
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "FlowGuardAttribution",
            dependencies: [
                "FlowGuardEvents",
                "FlowGuardJSON",
                "FlowGuardKafka",
                "FlowGuardSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "FlowGuardConsole",
            dependencies: [
                "FlowGuardAttribution",
                "FlowGuardConfig",
                "FlowGuardEvents",
                "FlowGuardGateway",
                "FlowGuardJSON",
                "FlowGuardKafka",
                "FlowGuardSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "FlowGuardCLI",
            dependencies: [
                "FlowGuardAttribution",
                "FlowGuardConfig",
                "FlowGuardConsole",
                "FlowGuardEvents",
                "FlowGuardGateway",
                "FlowGuardJSON",
                "FlowGuardKafka",
                "FlowGuardLake",
                "FlowGuardS3",
                "FlowGuardSimulator",
                "FlowGuardSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "flowguard",
            dependencies: ["FlowGuardCLI", "FlowGuardSupport"],
            // jemalloc (Debian's libjemalloc-dev) replaces glibc's malloc in the process: a batch of
            // 1,000 events allocates and frees tens of thousands of small blocks, which glibc's malloc
            // spends about a tenth of the batch path consolidating (bench/NOTES.md).
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]
        ),
        .testTarget(
            name: "FlowGuardTests",
            dependencies: [
                "FlowGuardAttribution",
                "FlowGuardCLI",
                "FlowGuardConfig",
                "FlowGuardConsole",
                "FlowGuardEvents",
                "FlowGuardGateway",
                "FlowGuardJSON",
                "FlowGuardKafka",
                "FlowGuardLake",
                "FlowGuardS3",
                "FlowGuardSimulator",
                "FlowGuardSupport",
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
