import FlowGuardConfig
import FlowGuardKafka
import FlowGuardSimulator
import FlowGuardSupport
import FoundationEssentials
import Logging
import NIOCore
import NIOPosix

/// `flowguard simulate`: realistic order, click and impression traffic at a set rate, to the gateway or to Kafka.
struct SimulateCommand: Subcommand {
    static let name = "simulate"
    static let summary = "Send realistic order/click/impression traffic at a set rate to the gateway or Kafka, and report latency"
    static let usage = "[--rate N] [--duration D] [--profile constant|ramp|spike|sine] [--target URL|kafka] [--seed N] [options]"
    static let discussion = """
        Simulated users see ad impressions; some click (--ctr), some clicks lead to an order within --order-delay
        (--cvr); a click carries the user_id and ad_id of its impression, an order the user_id of its click. --seed
        makes a run repeat event for event (ids included); without it a random seed is used and printed.
        Events are sent open-loop: each at its scheduled time whatever the answers do, at most --concurrency in
        flight; latency counts from the scheduled time. Profiles: ramp climbs from 0 to --rate, spike asks 5x --rate
        in the middle tenth, sine swings --rate +-50%. Ctrl-C stops early and still prints the report.
        Exit codes: 0 when the share of failed outcomes is at most --max-error-rate (default 0), 1 otherwise or when
        the target cannot be set up, 64 for a usage error.
        Example: flowguard simulate --rate 200 --duration 30s --seed 7 --output report.json
        """
    /// The options' table.
    enum Option {
        private static let defaults = SimulationConfiguration()
        private static let funnel = FunnelConfiguration()

        static let rate = CommandOption("rate", value: "N", default: defaults.rate.formatted(decimals: 0), help: "events per second; the top of a ramp, the base of spike and sine")
        static let duration = CommandOption("duration", value: "DURATION", default: defaults.duration.optionText, help: "how long to schedule events, such as 30s or 2m")
        static let profile = CommandOption("profile", value: "PROFILE", default: "constant", help: "constant, ramp, spike or sine")
        static let target = CommandOption("target", value: "URL|kafka", help: "the gateway (default http://localhost:8000), or kafka to produce directly")
        static let concurrency = CommandOption("concurrency", value: "N", default: "\(defaults.concurrency)", help: "most requests in flight")
        static let warmConnections = CommandOption("warm-connections", value: "N", default: "--concurrency, at most 64; 0: none", help: "keep-alive connections opened before the schedule starts")
        static let timeout = CommandOption("timeout", value: "DURATION", default: defaults.requestTimeout.optionText, help: "how long one request may take")
        static let seed = CommandOption("seed", value: "N", default: "random, printed", help: "repeat a run event for event")
        static let users = CommandOption("users", value: "N", default: "\(funnel.users)", help: "distinct users, user_id 1001 to 1000+N")
        static let ctr = CommandOption("ctr", value: "P", default: "\(funnel.clickThroughRate)", help: "share of impressions clicked, 0 to 1")
        static let cvr = CommandOption("cvr", value: "P", default: "\(funnel.conversionRate)", help: "share of clicks that lead to an order, 0 to 1")
        static let orderDelay = CommandOption("order-delay", value: "DURATION", default: funnel.orderDelay.optionText, help: "an order comes at most this long after its click")
        static let mix = CommandOption("mix", value: "MIX", default: "all", help: "all (the funnel), orders, clicks or impressions")
        static let maxErrorRate = CommandOption("max-error-rate", value: "P", default: "\(defaults.maxErrorRate.formatted(decimals: 0))", help: "share of failed outcomes that still exits 0, 0 to 1")
        static let output = CommandOption("output", value: "FILE", help: "also write the report as JSON")
        static let truth = CommandOption("truth", value: "FILE", help: "write each order with the click the funnel made it from (NDJSON); events then carry their scheduled time as timestamp")
        static let histogram = CommandOption("histogram", value: "FILE", help: "write the latency distribution (HdrHistogram percentile text, ms)")
        static let progress = CommandOption("progress", value: "MODE", default: "auto: live on a terminal, lines otherwise", help: "auto, live, lines or off")
    }

    static let options: [CommandOption] = [
        Option.rate, Option.duration, Option.profile, Option.target, .bootstrap, Option.concurrency, Option.warmConnections, Option.timeout, Option.seed, Option.users, Option.ctr, Option.cvr, Option.orderDelay, Option.mix, Option.maxErrorRate, Option.output, Option.histogram, Option.truth, Option.progress,
    ]

    static let environmentVariables: [EnvironmentVariable] = KafkaConfiguration.environmentVariables

    static func run(_ arguments: ParsedArguments, context: CommandContext) async throws -> Int32 {
        try arguments.expectNoPositionals()
        var configuration = try configuration(from: arguments)
        let truthPath = arguments.string(Option.truth)
        let truth = truthPath.map { _ in FunnelTruth() }
        if truth != nil {
            configuration.funnel.eventTimeOrigin = Int64(Date().timeIntervalSince1970 * 1000)
        }
        let targetText = arguments.string(Option.target) ?? "http://localhost:8000"
        let progress = try progressMode(arguments)
        let eventLoopGroup = MultiThreadedEventLoopGroup.singleton
        let target = try makeTarget(
            targetText, arguments: arguments, configuration: configuration, eventLoopGroup: eventLoopGroup, context: context
        )

        let report = await Simulation(
            configuration: configuration, target: target, progress: progress, output: context.output, eventLoopGroup: eventLoopGroup,
            truth: truth
        ).run()
        report.lines.forEach(context.output.print)
        if let path = arguments.string(Option.output) {
            try write(report.json, to: path)
        }
        if let truthPath, let truth {
            try write(truth.ndjson, to: truthPath)
        }
        if let path = arguments.string(Option.histogram) {
            try write(Array(report.percentileDistribution.utf8), to: path)
        }
        return report.exitCode
    }

    /// The run's settings from the options.
    /// - Throws: `UsageError` naming the option whose value is out of range or unknown.
    static func configuration(from arguments: ParsedArguments) throws(UsageError) -> SimulationConfiguration {
        var funnel = FunnelConfiguration()
        funnel.seed = try arguments.int(Option.seed, in: 0...Int.max).map { UInt64($0) } ?? UInt64.random(in: 1...999_999_999)
        funnel.users = try arguments.int(Option.users, in: 1...100_000_000) ?? funnel.users
        funnel.clickThroughRate = try arguments.double(Option.ctr, in: 0...1) ?? funnel.clickThroughRate
        funnel.conversionRate = try arguments.double(Option.cvr, in: 0...1) ?? funnel.conversionRate
        funnel.orderDelay = try arguments.duration(Option.orderDelay) ?? funnel.orderDelay
        if let name = arguments.string(Option.mix) {
            guard let mix = EventMix(name: name) else {
                throw UsageError(oneOf("mix", name, EventMix.known.map(\.name)), command: Self.name)
            }
            funnel.mix = mix
        }
        var configuration = SimulationConfiguration(funnel: funnel)
        configuration.rate = try arguments.double(Option.rate, in: 0.001...1_000_000) ?? configuration.rate
        configuration.duration = try arguments.duration(Option.duration) ?? configuration.duration
        if let name = arguments.string(Option.profile) {
            guard let profile = RateProfile(name: name) else {
                throw UsageError(oneOf("profile", name, RateProfile.known.map(\.name)), command: Self.name)
            }
            configuration.profile = profile
        }
        configuration.concurrency = try arguments.int(Option.concurrency, in: 1...100_000) ?? configuration.concurrency
        configuration.requestTimeout = try arguments.duration(Option.timeout) ?? configuration.requestTimeout
        configuration.maxErrorRate = try arguments.double(Option.maxErrorRate, in: 0...1) ?? configuration.maxErrorRate
        if configuration.schedule.plannedEvents > 1_000_000_000 {
            throw UsageError("--rate × --duration asks for more than 1,000,000,000 events", command: Self.name)
        }
        return configuration
    }

    private static func progressMode(_ arguments: ParsedArguments) throws(UsageError) -> ProgressReporter.Mode {
        let text = arguments.string(Option.progress) ?? "auto"
        if text == "auto" {
            return isatty(STDERR_FILENO) == 1 ? .live : .lines
        }
        guard let mode = ProgressReporter.Mode(rawValue: text) else {
            throw UsageError(oneOf("progress", text, ["auto"] + ProgressReporter.Mode.allCases.map(\.rawValue)), command: name)
        }
        return mode
    }

    /// The gateway at an http(s) URL, or Kafka found by the usual resolution.
    private static func makeTarget(
        _ text: String, arguments: ParsedArguments, configuration: SimulationConfiguration, eventLoopGroup: any EventLoopGroup,
        context: CommandContext
    ) throws -> any SimulationTarget {
        let warmConnections = try arguments.int(Option.warmConnections, in: 0...100_000)
        if text == "kafka" {
            if warmConnections != nil {
                throw UsageError("--warm-connections applies only to an HTTP target", command: name)
            }
            let resolution = try context.requireBootstrap(arguments)
            let kafka = KafkaConfiguration(bootstrapServers: resolution.bootstrapServers, environment: context.environment)
            do {
                return try KafkaSimulationTarget(configuration: kafka, timeout: configuration.requestTimeout, logger: context.logger)
            } catch {
                throw CommandFailure("cannot create the Kafka producer for \(resolution.bootstrapServers): \(error)")
            }
        }
        if arguments.has(.bootstrap) {
            throw UsageError("--bootstrap applies only with --target kafka", command: name)
        }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty, url.query == nil, url.path.isEmpty || url.path == "/"
        else {
            throw UsageError("option '--target' must be the gateway's base URL (http://HOST:PORT) or kafka, got '\(text)'", command: name)
        }
        let base = text.hasSuffix("/") ? String(text.dropLast()) : text
        return HTTPSimulationTarget(
            baseURL: base, connections: configuration.concurrency,
            warmConnections: min(warmConnections ?? 64, configuration.concurrency), timeout: configuration.requestTimeout,
            eventLoopGroup: eventLoopGroup
        )
    }

    private static func oneOf(_ option: String, _ value: String, _ names: [String]) -> String {
        var message = "option '--\(option)' must be \(names.dropLast().joined(separator: ", ")) or \(names.last ?? ""), got '\(value)'"
        if let suggestion = closestMatch(to: value, in: names) {
            message += "; did you mean '\(suggestion)'?"
        }
        return message
    }

    private static func write(_ bytes: [UInt8], to path: String) throws(CommandFailure) {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure("cannot write \(path): \(FileErrors.reason(error))")
        }
    }
}
