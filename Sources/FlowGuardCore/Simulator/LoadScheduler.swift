import Synchronization

/// Sends the events of a schedule open-loop: each one at its own time, whatever the answers do,
/// with at most `limiter.limit` in flight.
///
/// When every slot is taken the event waits for one and is sent late; its latency still counts from
/// its scheduled time, so a slow target shows in the percentiles instead of slowing the schedule
/// down unseen (no coordinated omission).
struct LoadScheduler: Sendable {
    /// Asks the dispatcher to stop sending (Ctrl-C); the requests in flight still finish.
    final class StopRequest: Sendable {
        private let requested = Atomic<Bool>(false)

        init() {}

        /// Asks the dispatcher to stop.
        func request() { requested.store(true, ordering: .relaxed) }

        /// Whether a stop was asked for.
        var isRequested: Bool { requested.load(ordering: .relaxed) }
    }

    /// How the dispatcher ended.
    struct Outcome: Sendable {
        /// Events sent.
        var dispatched: Int
        /// When a stop request (or cancellation) ended the sending early, from the start; nil when the schedule ran out.
        var stoppedEarlyAt: Duration?
    }

    let schedule: LoadSchedule
    let target: any SimulationTarget
    let limiter: InFlightLimiter
    let statistics: SimulationStatistics
    let stop: StopRequest
    /// How long past the end of the schedule late events may still be sent; the rest count as not sent.
    let grace: Duration

    /// Sends every planned event, then waits for the outcomes of those in flight.
    /// - Parameters:
    ///   - generator: makes the events, in schedule order.
    ///   - start: the instant the schedule's offsets count from.
    func run(generator: FunnelGenerator, start: ContinuousClock.Instant) async -> Outcome {
        var generator = generator
        let clock = ContinuousClock()
        let deadline = start + schedule.duration + grace
        var index = 0
        var stoppedEarlyAt: Duration?
        await withDiscardingTaskGroup { requests in
            while index < schedule.plannedEvents {
                if stop.isRequested || Task.isCancelled {
                    stoppedEarlyAt = clock.now - start
                    break
                }
                let offset = schedule.offset(ofEvent: index)
                let due = start + offset
                let now = clock.now
                if now < due {
                    // Short naps: a stop request is noticed within 100 ms even at 1 event a minute.
                    try? await clock.sleep(until: min(due, now + .milliseconds(100)), tolerance: nil)
                    continue
                }
                if now > deadline { break }
                let event = generator.next(at: offset)
                if !limiter.tryAcquire() {
                    statistics.recordWaitForSlot(at: now - start)
                    guard await limiter.acquire() else {
                        stoppedEarlyAt = clock.now - start
                        break
                    }
                }
                let sentAt = clock.now
                statistics.recordDispatch(event.kind, lag: sentAt - due, at: sentAt - start)
                requests.addTask {
                    let answer = await target.send(event)
                    statistics.recordAnswer(answer, kind: event.kind, latency: clock.now - due)
                    limiter.release()
                }
                index += 1
            }
            if stoppedEarlyAt == nil {
                statistics.recordNotSent(schedule.plannedEvents - index)
            }
        }
        return Outcome(dispatched: index, stoppedEarlyAt: stoppedEarlyAt)
    }
}
