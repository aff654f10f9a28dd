import FlowGuardEvents
import NIOCore
import Synchronization

/// Sends the events of a schedule open-loop: each one at its own time, whatever the answers do,
/// with at most `concurrency` in flight.
///
/// When every slot is taken the event waits for one and is sent late; its latency still counts from
/// its scheduled time, so a slow target shows in the percentiles instead of slowing the schedule
/// down unseen (no coordinated omission).
///
/// The schedule is dealt to one lane per event loop, event `i` to lane `i mod lanes`. A lane wakes
/// on its loop's timer when its next event is due, sends it from that loop and handles the answer
/// there, so an event costs no Swift task and no thread hop of the simulator's own: it costs little
/// CPU next to the target it measures on the same machine. The slots are the run's, shared by the
/// lanes; a lane that finds them all taken is woken on its loop when one frees.
final class LoadScheduler: Sendable {
    /// How the sending ended.
    struct Outcome: Sendable, Equatable {
        /// Events sent.
        var dispatched: Int
        /// When a stop request (or cancellation) ended the sending early, from the start; nil when the schedule ran out.
        var stoppedEarlyAt: Duration?
    }

    let schedule: LoadSchedule
    let target: any SimulationTarget
    let statistics: SimulationStatistics
    /// How long past the end of the schedule late events may still be sent; the rest count as not sent.
    let grace: Duration
    private let eventLoops: [any EventLoop]
    private let stop = StopFlag()
    private let slots: Slots
    /// The lanes of the run in progress, for `requestStop`.
    private let lanes = Mutex<[Lane]>([])

    /// - Parameters:
    ///   - concurrency: the most requests in flight at once (`--concurrency`).
    ///   - eventLoopGroup: the loops that send; an HTTP target's client must run on the same group.
    init(
        schedule: LoadSchedule, target: any SimulationTarget, statistics: SimulationStatistics, concurrency: Int, grace: Duration,
        eventLoopGroup: any EventLoopGroup
    ) {
        precondition(concurrency > 0, "the concurrency must be positive")
        self.schedule = schedule
        self.target = target
        self.statistics = statistics
        self.grace = grace
        self.slots = Slots(limit: concurrency)
        self.eventLoops = Array(eventLoopGroup.makeIterator().prefix(concurrency))
    }

    /// Sends every planned event, then waits for the outcomes of those in flight.
    ///
    /// Cancelling the calling task stops the sending and returns at once, without waiting for the
    /// requests in flight (`waitForAnswers(upTo:)` waits for them).
    /// - Parameters:
    ///   - generator: makes the events, in schedule order.
    ///   - start: the instant the schedule's offsets count from.
    func run(generator: FunnelGenerator, start: ContinuousClock.Instant) async -> Outcome {
        let shared = Shared(
            schedule: schedule, target: target, statistics: statistics, generator: ScheduledEvents(generator, schedule: schedule),
            slots: slots, start: start, deadline: start + schedule.duration + grace, stride: eventLoops.count, stop: stop
        )
        let lanes = eventLoops.enumerated().map { index, eventLoop in Lane(first: index, eventLoop: eventLoop, shared: shared) }
        self.lanes.withLock { $0 = lanes }
        defer { self.lanes.withLock { $0 = [] } }
        let outcomes = await withTaskCancellationHandler {
            for lane in lanes {
                lane.eventLoop.execute { lane.dispatchDue() }
            }
            var outcomes: [Outcome] = []
            for lane in lanes {
                // A lane's promise is only ever succeeded.
                if let outcome = try? await lane.finished.futureResult.get() { outcomes.append(outcome) }
            }
            return outcomes
        } onCancel: {
            stop.set()
            for lane in lanes {
                lane.eventLoop.execute { lane.abandon() }
            }
        }
        return Outcome(
            dispatched: outcomes.reduce(0) { $0 + $1.dispatched },
            stoppedEarlyAt: outcomes.compactMap(\.stoppedEarlyAt).min()
        )
    }

    /// Stops the sending (Ctrl-C): no event is sent after this; the requests in flight still finish.
    func requestStop() {
        stop.set()
        for lane in lanes.withLock({ $0 }) {
            lane.eventLoop.execute { lane.dispatchDue() }
        }
    }

    /// After a cancelled run, waits until every request in flight has its answer recorded (the
    /// target's shutdown fails those it cancels), for at most `limit`.
    func waitForAnswers(upTo limit: Duration) async {
        let deadline = ContinuousClock.now + limit
        while slots.inFlight > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
}

extension LoadScheduler {
    /// What every lane of a run reads.
    private struct Shared: Sendable {
        let schedule: LoadSchedule
        let target: any SimulationTarget
        let statistics: SimulationStatistics
        let generator: ScheduledEvents
        let slots: Slots
        let start: ContinuousClock.Instant
        /// No event is sent after this; the rest count as not sent.
        let deadline: ContinuousClock.Instant
        /// Lanes: each one sends every `stride`-th event.
        let stride: Int
        let stop: StopFlag
    }

    /// Set once to stop the sending; read by every lane before each event.
    private final class StopFlag: Sendable {
        private let value = Atomic<Bool>(false)

        func set() { value.store(true, ordering: .relaxed) }

        var isSet: Bool { value.load(ordering: .relaxed) }
    }

    /// The run's `--concurrency` slots. A lane that finds none free is queued, and the next slot
    /// given back wakes the lane that waited longest, on its own loop. Taking a slot and queueing
    /// happen under one lock, so no wake-up is lost.
    private final class Slots: Sendable {
        private struct State {
            var inFlight = 0
            var waiting: [Lane] = []
        }

        private let limit: Int
        private let state = Mutex(State())

        init(limit: Int) {
            self.limit = limit
        }

        /// Takes a slot, or queues `lane` (once) to be woken when one frees.
        func take(orQueue lane: Lane) -> Bool {
            state.withLock { state in
                if state.inFlight < limit {
                    state.inFlight += 1
                    return true
                }
                if !state.waiting.contains(where: { $0 === lane }) { state.waiting.append(lane) }
                return false
            }
        }

        /// Gives a slot back and wakes the lane that waited longest.
        func release() {
            let next: Lane? = state.withLock { state in
                state.inFlight -= 1
                return state.waiting.isEmpty ? nil : state.waiting.removeFirst()
            }
            if let next {
                next.eventLoop.execute { next.dispatchDue() }
            }
        }

        /// Takes `lane` out of the queue: it sends no more.
        func forget(_ lane: Lane) {
            state.withLock { $0.waiting.removeAll { $0 === lane } }
        }

        var inFlight: Int { state.withLock { $0.inFlight } }
    }

    /// Hands out the generator's events by schedule index, so that the events are the same whichever
    /// lane asks first: event `i` is always the generator's `i`-th, made for its scheduled offset.
    private final class ScheduledEvents: Sendable {
        private struct State {
            var generator: FunnelGenerator
            /// The index the generator makes next.
            var next = 0
            /// Events made ahead for lanes that are behind the one asking, by index: as many as the
            /// lanes are apart, which the shared slots keep to about `--concurrency`.
            var madeAhead: [Int: ValidatedEvent] = [:]
        }

        private let state: Mutex<State>
        private let schedule: LoadSchedule
        /// The generator's record of each order's click, told which events the target stored.
        let truth: FunnelTruth?

        init(_ generator: consuming FunnelGenerator, schedule: LoadSchedule) {
            self.truth = generator.truth
            self.state = Mutex(State(generator: generator))
            self.schedule = schedule
        }

        /// Event `index` of the run.
        func event(_ index: Int) -> ValidatedEvent {
            state.withLock { state in
                if let event = state.madeAhead.removeValue(forKey: index) { return event }
                while state.next < index {
                    state.madeAhead[state.next] = state.generator.next(at: schedule.offset(ofEvent: state.next))
                    state.next += 1
                }
                state.next = index + 1
                return state.generator.next(at: schedule.offset(ofEvent: index))
            }
        }
    }

    /// One event loop's share of the schedule: events `first`, `first + stride`, …. Every mutable
    /// member is used on `eventLoop` only: the entry points (`dispatchDue`, `abandon`) assert it, and
    /// answers are hopped to it before they touch the lane.
    private final class Lane: @unchecked Sendable {
        let eventLoop: any EventLoop
        /// Succeeded once, when the lane has stopped sending and has no request in flight (or is abandoned).
        let finished: EventLoopPromise<Outcome>
        private let shared: Shared
        private let clock = ContinuousClock()
        /// The index of the lane's next event.
        private var next: Int
        /// This lane's requests in flight.
        private var inFlight = 0
        private var dispatched = 0
        /// The next event found every slot taken and was counted as waiting; a freed slot wakes the lane.
        private var waitingForSlot = false
        private var sendingEnded = false
        private var reported = false
        private var stoppedEarlyAt: Duration?
        private var wakeUp: Scheduled<Void>?

        init(first: Int, eventLoop: any EventLoop, shared: Shared) {
            self.next = first
            self.eventLoop = eventLoop
            self.shared = shared
            self.finished = eventLoop.makePromise()
        }

        /// Sends every event that is due and gets a slot, then sleeps until the next one is due.
        func dispatchDue() {
            eventLoop.assertInEventLoop()
            guard !sendingEnded else { return }
            wakeUp?.cancel()
            wakeUp = nil
            let schedule = shared.schedule
            while next < schedule.plannedEvents {
                if shared.stop.isSet {
                    stoppedEarlyAt = clock.now - shared.start
                    endSending()
                    return
                }
                let offset = schedule.offset(ofEvent: next)
                let due = shared.start + offset
                let now = clock.now
                if now < due {
                    // A stop request or a cancellation wakes the lane at once: no need to nap.
                    wakeUp = eventLoop.scheduleTask(in: TimeAmount(due - now)) { self.dispatchDue() }
                    return
                }
                if now > shared.deadline { break }
                guard shared.slots.take(orQueue: self) else {
                    if !waitingForSlot {
                        waitingForSlot = true
                        shared.statistics.recordWaitForSlot(at: now - shared.start)
                    }
                    return
                }
                waitingForSlot = false
                send(shared.generator.event(next), due: due)
                next += shared.stride
            }
            let remaining = next < schedule.plannedEvents ? (schedule.plannedEvents - next + shared.stride - 1) / shared.stride : 0
            shared.statistics.recordNotSent(remaining)
            endSending()
        }

        private func send(_ event: ValidatedEvent, due: ContinuousClock.Instant) {
            inFlight += 1
            dispatched += 1
            let sentAt = clock.now
            shared.statistics.recordDispatch(event.kind, lag: sentAt - due, at: sentAt - shared.start)
            shared.target.send(event, on: eventLoop).hop(to: eventLoop).whenComplete { result in
                // The targets' futures do not fail (a failure is an answer); should one, it still frees its slot.
                let answer = (try? result.get()) ?? TargetAnswer(status: "transport", acknowledged: false)
                self.shared.statistics.recordAnswer(answer, kind: event.kind, latency: self.clock.now - due)
                if answer.acknowledged, event.kind != .impression {
                    self.shared.generator.truth?.markStored(event.eventID)
                }
                self.inFlight -= 1
                self.shared.slots.release()
                if self.sendingEnded { self.reportIfDone() }
            }
        }

        /// Stops sending and reports once nothing is in flight.
        private func endSending() {
            sendingEnded = true
            wakeUp?.cancel()
            wakeUp = nil
            shared.slots.forget(self)
            reportIfDone()
        }

        private func reportIfDone() {
            guard inFlight == 0, !reported else { return }
            reported = true
            finished.succeed(Outcome(dispatched: dispatched, stoppedEarlyAt: stoppedEarlyAt))
        }

        /// Stops sending and reports now, without waiting for the requests in flight.
        func abandon() {
            eventLoop.assertInEventLoop()
            if !sendingEnded { stoppedEarlyAt = clock.now - shared.start }
            endSending()
            guard !reported else { return }
            reported = true
            finished.succeed(Outcome(dispatched: dispatched, stoppedEarlyAt: stoppedEarlyAt))
        }
    }
}
