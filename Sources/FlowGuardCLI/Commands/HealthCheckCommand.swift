import AsyncHTTPClient
import Dispatch
import FlowGuardConfig
import FlowGuardJSON
import FlowGuardKafka
import FlowGuardSupport
import FoundationEssentials
import Logging
import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `flowguard health-check`: is Kafka reachable, are the topics there and led, does the gateway answer.
struct HealthCheckCommand: Subcommand {
    static let name = "health-check"
    static let summary = "Check Kafka, the topics of topics.yaml and the gateway; --probe sends an event end to end"
    static let usage = "[--gateway URL] [--probe] [--json] [--topics FILE] [--timeout 5s] [--bootstrap HOST:PORT]"
    static let discussion = """
        Checks: Kafka reachable (brokers answering / brokers in the metadata), each topic of the file present with
        its partitions (and replication where the cluster reports it), every partition led by a reachable broker,
        the gateway's /health (--gateway, default http://localhost:8000 when one answers there), and with --probe
        a marked test order (event_id flowguard-probe-…) posted to the gateway and read back from Kafka.
        Exit codes: 0 healthy, 1 unhealthy, 2 degraded (e.g. a broker down but every partition led), 64 usage.
        """
    /// The options' table.
    enum Option {
        static let gateway = CommandOption("gateway", value: "URL", default: "http://localhost:8000, skipped when nothing answers there", help: "the gateway to check")
        static let probe = CommandOption("probe", help: "post a marked test event to the gateway and read it back from Kafka")
        static let json = CommandOption("json", help: "print the report as JSON")
        static let timeout = CommandOption("timeout", value: "DURATION", default: defaultTimeout.optionText, help: "deadline of each check")
        static let defaultTimeout = Duration.seconds(5)
    }

    static let options: [CommandOption] = [
        Option.gateway, Option.probe, Option.json, .topicsFile, Option.timeout, .bootstrap,
    ]

    static let environmentVariables: [EnvironmentVariable] = [.noColor] + KafkaConfiguration.environmentVariables

    static func run(_ arguments: ParsedArguments, context: CommandContext) async throws -> Int32 {
        try arguments.expectNoPositionals()
        let timeout = try arguments.duration(Option.timeout) ?? Option.defaultTimeout
        let path = arguments.string(.topicsFile) ?? TopicsFile.defaultPath
        let file: TopicsFile
        do {
            file = try TopicsFile.load(path: path)
        } catch {
            throw CommandFailure(error.description)
        }
        var report = HealthCheckReport()
        let resolution = context.bootstrap(arguments)
        var bootstrap: String?
        if let resolution {
            bootstrap = resolution.bootstrapServers
            await checkKafka(resolution, file: file, timeout: timeout, context: context, report: &report)
        } else {
            report.add("kafka", .fail, BootstrapResolution.notFoundMessage)
        }

        let explicitGateway = arguments.string(Option.gateway)
        let gateway = explicitGateway ?? "http://localhost:8000"
        let client = HTTPClient.shared
        let gatewayAnswered = await checkGateway(gateway, explicit: explicitGateway != nil, client: client, timeout: timeout, report: &report)
        if arguments.has(Option.probe) {
            if gatewayAnswered, let bootstrap {
                await probe(gateway, bootstrap: bootstrap, client: client, timeout: timeout, context: context, report: &report)
            } else {
                report.add("probe", .fail, gatewayAnswered ? "no Kafka to read the probe back from" : "no gateway to send the probe to")
            }
        }

        if arguments.has(Option.json) {
            context.output.print(String(decoding: report.json, as: UTF8.self))
        } else {
            let colour = CommandOutput.isTerminal && context.environment[EnvironmentVariable.noColor.name] == nil
            report.lines(colour: colour).forEach(context.output.print)
        }
        return report.status.exitCode
    }

    private static func checkKafka(
        _ resolution: BootstrapResolution, file: TopicsFile, timeout: Duration, context: CommandContext, report: inout HealthCheckReport
    ) async {
        let configuration = KafkaConfiguration(bootstrapServers: resolution.bootstrapServers, environment: context.environment)
        let metadata: ClusterMetadata
        do {
            let admin = try KafkaAdmin(configuration: configuration, logger: context.logger)
            metadata = try await admin.metadata(timeout: timeout)
        } catch {
            report.add("kafka", .fail, "\(resolution.bootstrapServers) (\(resolution.source)) did not answer within \(timeout): \(error)")
            return
        }
        // Metadata lists every registered broker; a TCP connect tells which of them answer.
        var reachable: Set<Int32> = []
        for broker in metadata.brokers where await TCPProbe.canConnect(host: broker.host, port: broker.port, timeout: timeout) {
            reachable.insert(broker.id)
        }
        let down = metadata.brokers.filter { !reachable.contains($0.id) }.map { "\($0.id)" }
        report.add(
            "kafka",
            down.isEmpty ? .pass : .warn,
            "\(reachable.count)/\(metadata.brokers.count) brokers up at \(resolution.bootstrapServers)"
                + (down.isEmpty ? "" : " (down: \(down.joined(separator: ", ")))")
        )
        let embedded = resolution.isEmbeddedCluster
        for topic in file.topics {
            guard let described = metadata.topic(named: topic.name) else {
                report.add("topic \(topic.name)", .fail, "missing (run flowguard init-topics)")
                continue
            }
            var detail = "\(described.partitions.count) partitions"
            var outcome = HealthCheckReport.Check.Outcome.pass
            if described.partitions.count != topic.partitions {
                detail += ", \(topic.partitions) in \(file.path)"
                outcome = .warn
            }
            if embedded {
                detail += ", replication not reported by the embedded cluster"
            } else if described.replicationFactor != topic.replicationFactor {
                detail += ", replication \(described.replicationFactor) (\(topic.replicationFactor) in \(file.path))"
                outcome = .warn
            } else {
                detail += ", replication \(described.replicationFactor)"
            }
            report.add("topic \(topic.name)", outcome, detail)
            let unled = described.partitions.filter { $0.leader < 0 || !reachable.contains($0.leader) }.map { "\($0.id)" }
            report.add(
                "leaders \(topic.name)",
                unled.isEmpty ? .pass : .fail,
                unled.isEmpty ? "every partition has a reachable leader" : "partitions without a reachable leader: \(unled.joined(separator: ", "))"
            )
        }
    }

    /// Whether a TCP connection to host:port opens within the timeout.
    private static func checkGateway(_ url: String, explicit: Bool, client: HTTPClient, timeout: Duration, report: inout HealthCheckReport) async -> Bool {
        let started = ContinuousClock.now
        do {
            let response = try await client.execute(HTTPClientRequest(url: url + "/health"), timeout: .init(timeout))
            let body = try await response.body.collect(upTo: 1 << 20)
            let millis = Double((ContinuousClock.now - started).nanoseconds) / 1e6
            let object = try? JSONParser.parse(Array(buffer: body))
            var reason = ""
            if case .object(let fields) = object, case .string(let text) = fields["reason"] { reason = ": \(text)" }
            if response.status == .ok {
                report.add("gateway", .pass, "\(url)/health healthy", durationMillis: millis)
            } else {
                report.add("gateway", .fail, "\(url)/health answered \(response.status.code)\(reason)", durationMillis: millis)
            }
            return true
        } catch {
            report.add("gateway", explicit ? .fail : .skip, explicit ? "\(url) did not answer: \(error)" : "none answering at \(url) (use --gateway URL)")
            return false
        }
    }

    /// Posts a marked order and reads it back at the answered partition and offset.
    private static func probe(
        _ url: String, bootstrap: String, client: HTTPClient, timeout: Duration, context: CommandContext, report: inout HealthCheckReport
    ) async {
        let eventID = "flowguard-probe-\(UUID().uuidString.lowercased())"
        let body = #"{"event_id":"\#(eventID)","user_id":1,"order_id":"flowguard-health-probe","item_id":1,"item_name":"flowguard health probe","price":0.01}"#
        let started = ContinuousClock.now
        do {
            var request = HTTPClientRequest(url: url + "/api/v1/orders")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "X-Request-ID", value: eventID)
            request.body = .bytes(ByteBuffer(string: body))
            let response = try await client.execute(request, timeout: .init(timeout))
            let answer = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .accepted,
                case .object(let fields) = try JSONParser.parse(Array(buffer: answer)),
                case .number(let partition) = fields["partition"], case .number(let offset) = fields["offset"],
                let partitionValue = partition.int64, let offsetValue = offset.int64
            else {
                report.add("probe", .fail, "the gateway answered \(response.status.code): \(String(buffer: answer))")
                return
            }
            let consumer = try KafkaConsumer(configuration: KafkaConfiguration(bootstrapServers: bootstrap, environment: context.environment), logger: context.logger)
            try consumer.assign([.init(topic: "raw.orders.v1", partition: Int32(partitionValue), offset: .exactly(offsetValue))])
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                guard let record = try await consumer.poll(timeout: .milliseconds(100)) else { continue }
                let millis = Double((ContinuousClock.now - started).nanoseconds) / 1e6
                let found = record.value.map { String(decoding: $0, as: UTF8.self).contains(eventID) } ?? false
                report.add(
                    "probe",
                    found ? .pass : .fail,
                    found
                        ? "event \(eventID) read back from raw.orders.v1[\(partitionValue)]@\(offsetValue) in \(millis.formatted(decimals: 1)) ms"
                        : "raw.orders.v1[\(partitionValue)]@\(offsetValue) holds another record",
                    durationMillis: millis
                )
                await consumer.close()
                return
            }
            await consumer.close()
            report.add("probe", .fail, "event \(eventID) acknowledged but not readable within \(timeout)")
        } catch {
            report.add("probe", .fail, "\(error)")
        }
    }
}
