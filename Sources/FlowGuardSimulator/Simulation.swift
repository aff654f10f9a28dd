import FlowGuardSupport
import NIOCore
import UnixSignals

/// One simulator run: the open-loop scheduler, the progress line and Ctrl-C handling, ending in the report.
///
/// The first SIGINT or SIGTERM stops the sending and lets the requests in flight finish (each
/// within `--timeout`); a second one abandons them. Either way the report covers what happened.
package struct Simulation: Sendable {
    let configuration: SimulationConfiguration
    let target: any SimulationTarget
    let progress: ProgressReporter.Mode
    let output: CommandOutput
    /// The loops that send the events; an HTTP target's client runs on the same group.
    let eventLoopGroup: any EventLoopGroup
    /// Receives each order's click when the run records its ground truth.
    let truth: FunnelTruth?

    package init(
        configuration: SimulationConfiguration, target: any SimulationTarget, progress: ProgressReporter.Mode,
        output: CommandOutput, eventLoopGroup: any EventLoopGroup, truth: FunnelTruth? = nil
    ) {
        self.truth = truth
        self.configuration = configuration
        self.target = target
        self.progress = progress
        self.output = output
        self.eventLoopGroup = eventLoopGroup
    }

    private enum Event: Sendable {
        case finished(LoadScheduler.Outcome)
        case abandon
        case ended
    }

    /// Runs the schedule to its end, or until a signal; the target is shut down before it returns.
    package func run() async -> SimulationReport {
        let schedule = configuration.schedule
        let statistics = SimulationStatistics()
        let scheduler = LoadScheduler(
            schedule: schedule, target: target, statistics: statistics, concurrency: configuration.concurrency,
            grace: max(.seconds(1), schedule.duration / 10), eventLoopGroup: eventLoopGroup
        )
        let generator = FunnelGenerator(configuration: configuration.funnel, truth: truth)
        await target.warmUp()
        let start = ContinuousClock.now
        let reporter = ProgressReporter(
            mode: progress, statistics: statistics, schedule: schedule, concurrency: configuration.concurrency, output: output, start: start
        )
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        let outcome = await withTaskGroup(of: Event.self) { group in
            group.addTask { .finished(await scheduler.run(generator: generator, start: start)) }
            group.addTask {
                await reporter.run()
                return .ended
            }
            group.addTask {
                var received = 0
                for await _ in signals {
                    received += 1
                    if received == 1 {
                        scheduler.requestStop()
                    } else {
                        return .abandon
                    }
                }
                return .ended
            }
            var outcome = LoadScheduler.Outcome(dispatched: 0, stoppedEarlyAt: nil)
            for await event in group {
                switch event {
                case .finished(let finished):
                    outcome = finished
                    group.cancelAll()
                case .abandon:
                    group.cancelAll()
                case .ended:
                    break
                }
            }
            return outcome
        }
        await target.shutdown()
        // After a second Ctrl-C the requests in flight were abandoned; the shutdown fails them, and
        // their answers (`cancelled`) belong in the report.
        await scheduler.waitForAnswers(upTo: .seconds(2))
        return SimulationReport(
            configuration: configuration, target: target.name, schedule: schedule, outcome: outcome, statistics: statistics.snapshot()
        )
    }
}
