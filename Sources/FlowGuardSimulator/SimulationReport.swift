import FlowGuardSupport

/// The outcome of a run: what was sent, what came back, how fast and how late; and the verdict.
package struct SimulationReport: Sendable {
    /// What the run was asked to do.
    let configuration: SimulationConfiguration
    /// The target's name: the URL, or `kafka (...)`.
    let target: String
    /// Events the whole schedule planned.
    let planned: Int
    /// When Ctrl-C (or SIGTERM) stopped the sending, from the start; nil when the run went to its end.
    let stoppedEarlyAt: Duration?
    /// The time the achieved rate is measured over: the duration, or longer when sending fell
    /// behind, or up to the stop.
    let elapsed: Duration
    /// The average rate the schedule asked for over `elapsed`, in events per second.
    let askedRate: Double
    /// Everything counted.
    let statistics: SimulationStatistics.State

    init(
        configuration: SimulationConfiguration, target: String, schedule: LoadSchedule,
        outcome: LoadScheduler.Outcome, statistics: SimulationStatistics.State
    ) {
        self.configuration = configuration
        self.target = target
        self.planned = schedule.plannedEvents
        self.stoppedEarlyAt = outcome.stoppedEarlyAt
        self.statistics = statistics
        if let stop = outcome.stoppedEarlyAt {
            elapsed = stop
        } else {
            elapsed = max(schedule.duration, statistics.lastDispatch)
        }
        askedRate = schedule.averageAskedRate(over: min(elapsed, schedule.duration))
    }

    /// Events sent.
    var sent: Int { statistics.sentTotal }

    /// Events sent per second over `elapsed`.
    var achievedRate: Double {
        elapsed > .zero ? Double(sent) / elapsed.inSeconds : 0
    }

    /// The share of outcomes that were not acknowledgements; 0 when nothing came back.
    var errorRate: Double {
        statistics.completed > 0 ? Double(statistics.failures) / Double(statistics.completed) : 0
    }

    /// Whether the error rate stayed within `--max-error-rate`.
    var passed: Bool { errorRate <= configuration.maxErrorRate }

    /// 0 when the run passed, 1 otherwise.
    package var exitCode: Int32 { passed ? ExitCode.success : ExitCode.failure }

    /// The latency at a percentile (0...100), from the scheduled time.
    func latency(atPercentile percentile: Double) -> Duration {
        .microseconds(Int64(statistics.latency.valueAtPercentile(percentile)))
    }

    /// The longest latency recorded.
    var maxLatency: Duration { .microseconds(Int64(statistics.latency.max)) }

    /// The percentiles the report lists, with their names.
    static let percentiles: [(name: String, value: Double)] = [
        ("p50", 50), ("p90", 90), ("p99", 99), ("p99.9", 99.9),
    ]

    /// The latency distribution in HdrHistogram's percentile-distribution text format, in milliseconds
    /// (what HdrHistogram's plotter reads).
    package var percentileDistribution: String {
        var text = ""
        statistics.latency.outputPercentileDistribution(to: &text, outputValueUnitScalingRatio: 1000)
        return text
    }
}
