import FlowGuardSupport

/// Shows how a run is going while it runs: one line rewritten in place on a terminal, or a plain
/// line every few seconds otherwise; and says once when the concurrency cap is first reached.
package struct ProgressReporter: Sendable {
    /// How progress is shown.
    package enum Mode: String, Sendable, CaseIterable {
        /// One line on standard error, rewritten with `\r` four times a second (for a terminal).
        case live
        /// A plain line on standard error every five seconds (for logs and CI).
        case lines
        /// Nothing but the notice that the cap was reached.
        case off
    }

    let mode: Mode
    let statistics: SimulationStatistics
    let schedule: LoadSchedule
    let concurrency: Int
    let output: CommandOutput
    let start: ContinuousClock.Instant

    /// Reports until the task is cancelled; in live mode the line is then erased.
    func run() async {
        let interval: Duration = mode == .live ? .milliseconds(250) : .seconds(5)
        var capAnnounced = false
        var nextLine = start + interval
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(mode == .live ? 250 : 100))
            let progress = statistics.progress()
            if !capAnnounced, let reached = progress.capFirstReachedAt {
                capAnnounced = true
                if mode == .live { writeLive("") }
                output.printError(
                    "flowguard simulate: --concurrency \(concurrency) reached at \(SimulationReport.seconds(reached)): "
                        + "events wait for a free slot and are sent late (counted, latency from their scheduled time)"
                )
            }
            guard mode != .off, ContinuousClock.now >= nextLine else { continue }
            nextLine = ContinuousClock.now + interval
            let line = self.line(progress)
            if mode == .live {
                writeLive(line)
            } else {
                output.printError("flowguard simulate: " + line)
            }
        }
        if mode == .live { writeLive("") }
    }

    /// `sent 1200 acked 1195 errors 503:5 | 99.8/s | p50 1.2 ms p99 4.5 ms | 8.0 s left`.
    func line(_ progress: SimulationStatistics.Progress) -> String {
        let elapsed = ContinuousClock.now - start
        let rate = elapsed > .zero ? Double(progress.sent) / elapsed.inSeconds : 0
        let errors = progress.failures.isEmpty ? "0" : progress.failures.map { "\($0.status):\($0.count)" }.joined(separator: " ")
        let left = max(.zero, schedule.duration - elapsed)
        var line = "sent \(progress.sent) acked \(progress.acknowledged) errors \(errors) | \(rate.formatted(decimals: 1))/s"
        if progress.acknowledged + progress.failures.reduce(0, { $0 + $1.count }) > 0 {
            line += " | p50 \(SimulationReport.millis(progress.p50)) p99 \(SimulationReport.millis(progress.p99))"
        }
        if progress.waitedForSlot > 0 {
            line += " | \(progress.waitedForSlot) late (cap \(concurrency))"
        }
        line += " | \(left.inSeconds.formatted(decimals: 1)) s left"
        return line
    }

    /// Rewrites the terminal line: carriage return, the text, erase to the end of the line.
    private func writeLive(_ text: String) {
        StandardStream.error.write("\r" + text + "\u{1B}[K")
    }
}
