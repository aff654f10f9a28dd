extension SimulationReport {
    /// The report for a person: a headline, then one line per subject.
    package var lines: [String] {
        let statistics = self.statistics
        let rate = Self.number(configuration.rate)
        let ending = stoppedEarlyAt.map { "stopped early after \(Self.seconds($0)) (signal)" } ?? "in \(Self.seconds(elapsed))"
        var lines = [
            "flowguard simulate: \(sent) events to \(target) \(ending) "
                + "(\(configuration.profile) \(rate)/s over \(Self.seconds(configuration.duration)), mix \(configuration.funnel.mix), seed \(configuration.funnel.seed))"
        ]
        let kinds = FunnelGenerator.stages.compactMap { kind in statistics.sent[kind].map { "\($0) \(kind.rawValue)" } }
        lines.append("  events    \(sent) sent of \(planned) planned" + (kinds.isEmpty ? "" : ": " + kinds.joined(separator: ", ")))
        let answers = statistics.answers.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        lines.append("  answers   " + (answers.isEmpty ? "none" : answers.map { "\($0.value) × \($0.key)" }.joined(separator: ", ")))
        let ratio = askedRate > 0 ? " (\((achievedRate / askedRate * 100).formatted(decimals: 2)) %)" : ""
        lines.append("  rate      asked \(Self.number(askedRate))/s, achieved \(Self.number(achievedRate))/s\(ratio)")
        if statistics.completed > 0 {
            let percentiles = Self.percentiles.map { "\($0.name) \(Self.millis(latency(atPercentile: $0.value)))" }
            lines.append(
                "  latency   " + percentiles.joined(separator: "  ") + "  max \(Self.millis(maxLatency))  (from each event's scheduled time)"
            )
        }
        lines.append("  schedule  " + scheduleLine)
        let verdict = passed ? "pass" : "FAIL"
        lines.append(
            "  errors    \(statistics.failures) of \(statistics.completed) outcomes (\((errorRate * 100).formatted(decimals: 2)) %), "
                + "--max-error-rate \(Self.number(configuration.maxErrorRate)): \(verdict)"
        )
        return lines
    }

    /// How well the sending kept to the schedule, and whether the cap was reached.
    private var scheduleLine: String {
        let lag = statistics.dispatchLag
        var text = sent > 0
            ? "sent p50 \(Self.millis(.microseconds(Int64(lag.valueAtPercentile(50))))), "
                + "p99 \(Self.millis(.microseconds(Int64(lag.valueAtPercentile(99))))), "
                + "max \(Self.millis(.microseconds(Int64(lag.max)))) after the scheduled time; "
            : ""
        if let reached = statistics.capFirstReachedAt {
            text += "--concurrency \(configuration.concurrency) reached at \(Self.seconds(reached)): "
                + "\(statistics.waitedForSlot) events waited for a free slot and were sent late"
        } else {
            text += "--concurrency \(configuration.concurrency) never reached"
        }
        if statistics.notSent > 0 {
            text += "; \(statistics.notSent) planned events not sent (too far behind the schedule)"
        }
        return text
    }

    /// `1.23 ms`, `12.3 ms`, `123 ms`, `0.081 ms`.
    static func millis(_ duration: Duration) -> String {
        let value = duration.inSeconds * 1000
        let decimals = value < 1 ? 3 : value < 10 ? 2 : value < 100 ? 1 : 0
        return value.formatted(decimals: decimals) + " ms"
    }

    /// `10.00 s`.
    static func seconds(_ duration: Duration) -> String {
        duration.inSeconds.formatted(decimals: 2) + " s"
    }

    /// `5`, `0.5`, `99.87`: at most two decimals, none when whole.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : value.formatted(decimals: 2)
    }
}
