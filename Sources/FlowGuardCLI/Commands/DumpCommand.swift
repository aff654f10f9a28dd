import AsyncHTTPClient
import FlowGuardConfig
import FlowGuardKafka
import FlowGuardLake
import FlowGuardS3
import FlowGuardSupport
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// `flowguard dump`: moves every record of the topics into a data lake (S3 or a directory), exactly once.
struct DumpCommand: Subcommand {
    static let name = "dump"
    static let summary = "Write every record of the topics to S3 or a directory as Hive-partitioned NDJSON.gz, exactly once"
    static let usage = "--to s3://BUCKET/PREFIX|file:///DIR [--topics T1,T2] [--group G] [--max-records N] [--max-bytes SIZE] [--max-age D] [--verify]"
    static let discussion = """
        Objects: PREFIX/topic=T/dt=YYYY-MM-DD/hr=HH/T+P+START.ndjson.gz, by the event's timestamp (UTC), one line per
        record as `tail --format json` prints it. Offsets are committed (to --group) only after the objects holding
        them are stored, and objects are cut by the records alone, so a restart writes the same objects again; see
        docs/dump.md. S3: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION and AWS_ENDPOINT_URL
        (path-style, for MinIO and other S3-compatible stores).
        --verify reads the lake back and compares it with Kafka up to the group's committed offsets.
        Exit codes: 0 after SIGTERM/Ctrl-C or a clean --verify; 1 when the store refuses (no such bucket, access
        denied), a topic is missing, or --verify finds a difference; 64 for a usage error.
        """
    /// The options' table.
    enum Option {
        static let to = CommandOption("to", value: "URL", environment: "FLOWGUARD_DUMP_TO", help: "s3://BUCKET/PREFIX or file:///DIR (required)")
        static let topics = CommandOption("topics", value: "T1,T2", environment: "FLOWGUARD_DUMP_TOPICS", default: "raw.orders.v1,raw.clicks.v1", help: "the topics to dump")
        static let group = CommandOption("group", value: "G", environment: "FLOWGUARD_DUMP_GROUP", default: "flowguard-dump", help: "the consumer group; dumpers in one group share the partitions")
        static let maxRecords = CommandOption("max-records", value: "N", environment: "FLOWGUARD_DUMP_MAX_RECORDS", default: "100000", help: "records of a partition per segment (its objects)")
        static let maxBytes = CommandOption("max-bytes", value: "SIZE", environment: "FLOWGUARD_DUMP_MAX_BYTES", default: "64MiB", help: "uncompressed bytes of a partition per segment, such as 64MiB")
        static let maxAge = CommandOption("max-age", value: "DURATION", environment: "FLOWGUARD_DUMP_MAX_AGE", default: "5m", help: "longest a record waits in the spool before its object is stored")
        static let metricsPort = CommandOption("metrics-port", value: "PORT", environment: "FLOWGUARD_DUMP_METRICS_PORT", default: "9102", help: "Prometheus /metrics port; 0 for none")
        static let metricsHost = MetricsEndpoint.host
        static let spoolDirectory = CommandOption("spool-dir", value: "DIR", environment: "FLOWGUARD_DUMP_SPOOL_DIR", default: "/tmp", help: "where records wait before their object is stored (files are unlinked at once)")
        static let gzipLevel = CommandOption(
            "gzip-level", value: "N", environment: "FLOWGUARD_DUMP_GZIP_LEVEL", default: "\(Gzip.defaultLevel)",
            help: "zlib level of the objects, 1 (fastest) to 9 (smallest)"
        )
        static let requestTimeout = CommandOption("request-timeout", value: "DURATION", environment: "FLOWGUARD_DUMP_REQUEST_TIMEOUT", default: "30s", help: "how long one S3 request may take before it is retried")
        static let verify = CommandOption("verify", help: "compare the lake with Kafka instead of dumping; exit 1 on any difference")
    }

    static let options: [CommandOption] = [
        Option.to, Option.topics, Option.group, Option.maxRecords, Option.maxBytes, Option.maxAge, Option.metricsPort, Option.metricsHost, Option.spoolDirectory, Option.gzipLevel, Option.requestTimeout, Option.verify, .bootstrap,
    ]

    static let environmentVariables: [EnvironmentVariable] = KafkaConfiguration.environmentVariables + S3Configuration.environmentVariables

    static func run(_ arguments: ParsedArguments, context: CommandContext) async throws -> Int32 {
        try arguments.expectNoPositionals()
        guard let toText = arguments.string(Option.to) else {
            throw UsageError("--to is required (s3://BUCKET/PREFIX or file:///DIR)", command: name)
        }
        let destination: LakeDestination
        do {
            destination = try LakeDestination(parsing: toText)
        } catch {
            throw UsageError("--to: \(error.message)", command: name)
        }
        let topics = (arguments.string(Option.topics) ?? "raw.orders.v1,raw.clicks.v1").split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
        guard !topics.isEmpty else {
            throw UsageError("--topics needs at least one topic", command: name)
        }
        let chosenTopics = topics
        let group = arguments.string(Option.group) ?? "flowguard-dump"
        var policy = RotationPolicy()
        policy.maxRecords = try arguments.int(Option.maxRecords, in: 1...100_000_000) ?? policy.maxRecords
        if let text = arguments.string(Option.maxBytes) {
            guard let bytes = parseByteSize(text), bytes >= 1 else {
                throw UsageError("--max-bytes must be a size such as 64MiB, 500KB or 1048576, got '\(text)'", command: name)
            }
            policy.maxBytes = bytes
        }
        policy.maxAge = try arguments.duration(Option.maxAge) ?? policy.maxAge
        let metricsPort = try arguments.int(Option.metricsPort, in: 0...65535) ?? 9102
        let spoolDirectory = arguments.string(Option.spoolDirectory) ?? "/tmp"
        let gzipLevel = try arguments.int(Option.gzipLevel, in: Gzip.levels) ?? Gzip.defaultLevel

        let resolution = try context.requireBootstrap(arguments)
        let kafka = KafkaConfiguration(bootstrapServers: resolution.bootstrapServers, environment: context.environment)
        // The process-wide client: it lives as long as the process, which is as long as the dumper.
        let httpClient = HTTPClient.shared

        let registry = PrometheusCollectorRegistry()
        let metrics = DumpMetrics(factory: PrometheusMetricsFactory(registry: registry))
        metrics.prepare(topics: chosenTopics)
        let requestTimeout = try arguments.duration(Option.requestTimeout) ?? .seconds(30)
        let store = try makeStore(destination, httpClient: httpClient, requestTimeout: requestTimeout, context: context, metrics: metrics)
        do {
            try await store.prepare()
        } catch {
            throw CommandFailure("cannot use \(destination): \(error.message)")
        }

        if arguments.has(Option.verify) {
            let verifier = LakeVerifier(store: store, kafka: kafka, groupID: group, topics: chosenTopics, logger: context.logger)
            let report: LakeVerifier.Report
            do {
                report = try await verifier.run()
            } catch {
                throw CommandFailure("verify: \(error.message)")
            }
            report.lines.forEach(context.output.print)
            return report.isClean ? ExitCode.success : ExitCode.failure
        }

        let admin = try await waitForKafka(kafka, topics: chosenTopics, bootstrap: resolution.bootstrapServers, logger: context.logger)
        var consumerConfiguration = kafka
        if consumerConfiguration.consumer["queued.max.messages.kbytes"] == nil {
            // librdkafka fetches ahead up to 64 MiB by default, more than the dumper's own memory. With
            // the fetch waker (RDKafkaFetchWaker) 4 MiB keeps the partitions fed, and the process's RSS
            // within 100 MiB (bench/NOTES.md, issue 19).
            consumerConfiguration.consumer["queued.max.messages.kbytes"] = "4096"
        }
        let consumer: KafkaConsumer
        let readiness = KafkaReadiness()
        do {
            consumer = try KafkaConsumer(
                configuration: consumerConfiguration, groupID: group, autoCommit: false, readsBacklogs: true, readiness: readiness, logger: context.logger
            )
            try consumer.subscribe(topics: chosenTopics)
        } catch {
            throw CommandFailure("cannot create the Kafka consumer: \(error.message)")
        }
        let dumper = Dumper(
            consumer: consumer, readiness: readiness, store: store,
            configuration: DumpConfiguration(topics: chosenTopics, policy: policy, spoolDirectory: spoolDirectory, gzipLevel: gzipLevel),
            metrics: metrics, logger: context.logger
        )
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: DumpService(dumper: dumper, admin: admin), successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
        ]
        if metricsPort != 0 {
            let metricsHost = arguments.string(Option.metricsHost) ?? "127.0.0.1"
            let server = MetricsEndpoint.service(host: metricsHost, port: metricsPort, logger: context.logger) {
                var bytes: [UInt8] = []
                registry.emit(into: &bytes)
                return ByteBuffer(bytes: bytes)
            }
            services.append(.init(service: server))
        }
        context.logger.notice("dumping \(chosenTopics.joined(separator: ", ")) to \(destination) as group \(group)")
        do {
            try await ServiceGroup(configuration: ServiceGroupConfiguration(services: services, gracefulShutdownSignals: shutdownSignals, logger: context.logger)).run()
        } catch let error as LakeError {
            await consumer.close()
            throw CommandFailure(error.message)
        } catch {
            await consumer.close()
            let text = "\(error)"
            if text.contains("Address already in use") {
                throw CommandFailure("cannot serve metrics on port \(metricsPort): address already in use")
            }
            throw CommandFailure("stopped: \(text)")
        }
        await consumer.close()
        return ExitCode.success
    }

    /// The store `--to` names; for S3 the `AWS_*` variables must be set.
    static func makeStore(_ destination: LakeDestination, httpClient: HTTPClient, requestTimeout: Duration, context: CommandContext, metrics: DumpMetrics) throws -> any LakeStore {
        switch destination {
        case .directory(let path):
            return FileLakeStore(root: path)
        case .s3(let bucket, let prefix):
            var configuration: S3Configuration
            do {
                configuration = try S3Configuration(environment: context.environment)
            } catch {
                throw CommandFailure(error.message)
            }
            configuration.requestTimeout = requestTimeout
            let logger = context.logger
            return S3LakeStore(
                client: S3Client(configuration: configuration, httpClient: httpClient, logger: logger),
                bucket: bucket, prefix: prefix
            ) { error, attempt, wait in
                metrics.retried(cause: error.status.map(String.init) ?? "no_answer")
                logger.warning("S3 attempt \(attempt) failed, retrying in \(wait): \(error)")
            }
        }
    }

    /// Asks Kafka for the topics until it answers, saying so while it does not.
    static func waitForKafka(_ kafka: KafkaConfiguration, topics: [String], bootstrap: String, logger: Logger) async throws -> KafkaAdmin {
        let admin: KafkaAdmin
        do {
            admin = try KafkaAdmin(configuration: kafka, logger: logger)
        } catch {
            throw CommandFailure("cannot create the Kafka client: \(error.message)")
        }
        while true {
            do {
                let metadata = try await admin.metadata(timeout: .seconds(10))
                if let missing = topics.first(where: { metadata.topic(named: $0) == nil }) {
                    throw CommandFailure("topic '\(missing)' does not exist at \(bootstrap)")
                }
                return admin
            } catch let error as KafkaError {
                logger.warning("waiting for Kafka at \(bootstrap): \(error.message)")
                try await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// `64MiB`, `500KB`, `1GiB`, `1048576`: binary (KiB, MiB, GiB) and decimal (KB, MB, GB) units.
    static func parseByteSize(_ text: String) -> Int? {
        let units: [(String, Int)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("KB", 1000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("B", 1)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let number = Int(text.dropLast(suffix.count)), number >= 0, number <= Int.max / scale else { return nil }
            return number * scale
        }
        return Int(text)
    }
}

/// The dumper as a service of the group: SIGTERM stops it cleanly.
struct DumpService: Service {
    let dumper: Dumper
    let admin: KafkaAdmin

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await dumper.reportLag(admin: admin) }
                group.addTask {
                    defer { dumper.stop() }
                    try await dumper.run()
                }
                try await group.waitForAll()
            }
        } onGracefulShutdown: {
            dumper.stop()
        }
    }
}
