@testable import FlowGuardEvents
@testable import FlowGuardSimulator
import NIOCore
import NIOPosix
import Synchronization
import Testing

@Suite("simulate: rate profiles, the schedule, the in-flight cap", .timeLimit(.minutes(1)))
struct SimulatorScheduleTests {
    /// Two loops whatever the machine's cores, so that the scheduler runs two lanes.
    static let loops = MultiThreadedEventLoopGroup(numberOfThreads: 2)

    @Test("a constant 50/s for 2 s plans exactly 100 events, event i due at i/50 s")
    func constantSchedule() {
        let schedule = LoadSchedule(rate: 50, duration: .seconds(2))
        #expect(schedule.plannedEvents == 100)
        #expect(schedule.offset(ofEvent: 0) == .zero)
        #expect(schedule.offset(ofEvent: 1) == .milliseconds(20))
        #expect(schedule.offset(ofEvent: 99) == .milliseconds(1980))
        #expect(LoadSchedule(rate: 0.5, duration: .seconds(3)).plannedEvents == 2)
    }

    @Test("ramp plans half the events of constant, spike 1.4 times, sine as many; each schedule rises and ends within the duration")
    func profiles() {
        let expected: [(RateProfile, Int)] = [(.constant, 1000), (.ramp, 500), (.spike, 1400), (.sine, 1000)]
        for (profile, planned) in expected {
            let schedule = LoadSchedule(rate: 100, duration: .seconds(10), profile: profile)
            #expect(schedule.plannedEvents == planned, "\(profile)")
            let offsets = (0..<schedule.plannedEvents).map(schedule.offset(ofEvent:))
            #expect(zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 }, "\(profile)")
            #expect(offsets.last! < .seconds(10), "\(profile)")
        }
        // The spike: 5x the rate between 45 % and 55 % of the run.
        let spike = LoadSchedule(rate: 100, duration: .seconds(10), profile: .spike)
        let inSpike = (0..<spike.plannedEvents).filter { (Duration.milliseconds(4500)..<Duration.milliseconds(5500)).contains(spike.offset(ofEvent: $0)) }
        #expect(inSpike.count == 500)
        // The sine: the first half asks for more than the second.
        let sine = LoadSchedule(rate: 100, duration: .seconds(10), profile: .sine)
        let firstHalf = (0..<sine.plannedEvents).filter { sine.offset(ofEvent: $0) < .seconds(5) }.count
        #expect(firstHalf == 660)
        #expect(RateProfile(name: "zigzag") == nil)
    }

    @Test("the average asked rate over part of a ramp is what the ramp asked so far")
    func askedRate() {
        let ramp = LoadSchedule(rate: 100, duration: .seconds(10), profile: .ramp)
        #expect(abs(ramp.averageAskedRate(over: .seconds(10)) - 50) < 1e-9)
        #expect(abs(ramp.averageAskedRate(over: .seconds(5)) - 25) < 1e-9)
    }

    @Test("the seeded generator's bounded numbers are uniform enough and the same for a seed")
    func seededRandom() {
        var a = SeededRandomNumberGenerator(seed: 1)
        var b = SeededRandomNumberGenerator(seed: 1)
        let first = (0..<100).map { _ in a.below(10) }
        #expect(first == (0..<100).map { _ in b.below(10) })
        var histogram = [Int](repeating: 0, count: 10)
        for _ in 0..<100_000 { histogram[a.below(10)] += 1 }
        #expect(histogram.allSatisfy { (9_500...10_500).contains($0) })
        #expect((0..<1000).allSatisfy { _ in (0..<1).contains(a.unit()) })
    }

    @Test("never more than --concurrency in flight: an event that finds every slot taken waits, is counted, and goes out when one frees")
    func concurrencyCap() async throws {
        let held = HeldRun(rate: 1000, duration: .milliseconds(20), concurrency: 3, grace: .seconds(30), seed: 3)
        let (target, statistics) = (held.target, held.statistics)
        // All 20 events are due within 20 ms; three go out and the rest wait for a slot.
        try await waitUntil { statistics.snapshot().waitedForSlot > 0 && target.inFlight == 3 }
        try await Task.sleep(for: .milliseconds(100))
        #expect(target.inFlight == 3)
        #expect(statistics.snapshot().sentTotal == 3)
        target.answerAll()
        let outcome = await held.run.value
        #expect(outcome == LoadScheduler.Outcome(dispatched: 20, stoppedEarlyAt: nil))
        #expect(target.mostInFlight == 3)
        #expect(target.received.count == 20)
        let state = statistics.snapshot()
        #expect(state.acknowledgedTotal == 20)
        #expect(state.notSent == 0)
    }

    @Test("the lanes send the generator's events, each exactly once, event i from lane i mod lanes")
    func eventsInScheduleOrder() async {
        let target = HeldAnswersTarget(answeringAtOnce: true)
        let schedule = LoadSchedule(rate: 2000, duration: .milliseconds(200))
        let scheduler = LoadScheduler(
            schedule: schedule, target: target, statistics: SimulationStatistics(), concurrency: 8, grace: .seconds(30),
            eventLoopGroup: Self.loops
        )
        let configuration = FunnelConfiguration(seed: 11)
        let outcome = await scheduler.run(generator: FunnelGenerator(configuration: configuration), start: .now)
        var generator = FunnelGenerator(configuration: configuration)
        let expected = (0..<schedule.plannedEvents).map { generator.next(at: schedule.offset(ofEvent: $0)).eventID }
        #expect(outcome.dispatched == 400)
        #expect(target.received.sorted() == expected.sorted())
        #expect(Set(target.received).count == 400)
        // Two loops, two lanes: each loop sent only even or only odd events of the generator's sequence.
        let index = Dictionary(uniqueKeysWithValues: expected.enumerated().map { ($1, $0) })
        let parities = Dictionary(grouping: target.receivedOn, by: \.loop).mapValues { Set($0.compactMap { index[$0.eventID].map { $0 % 2 } }) }
        #expect(parities.count == 2)
        #expect(parities.values.allSatisfy { $0.count == 1 })
    }

    @Test("a stop request ends the sending at once, even while waiting for a slot; the request in flight still finishes")
    func stopWhileWaitingForSlot() async throws {
        let held = HeldRun(rate: 1000, duration: .seconds(10), concurrency: 1, grace: .seconds(1), seed: 5)
        let statistics = held.statistics
        try await waitUntil { statistics.snapshot().waitedForSlot > 0 }
        held.scheduler.requestStop()
        held.target.answerAll()
        let outcome = await held.run.value
        #expect(outcome.dispatched == 1)
        #expect(outcome.stoppedEarlyAt != nil)
        #expect(statistics.snapshot().acknowledgedTotal == 1)
        // Stopped early: the events left are not "not sent" (the run fell behind); they were called off.
        #expect(statistics.snapshot().notSent == 0)
    }

    @Test("cancelling the run abandons the requests in flight and returns at once")
    func cancelAbandons() async throws {
        let held = HeldRun(rate: 100, duration: .seconds(10), concurrency: 4, grace: .seconds(1), seed: 7)
        let target = held.target
        try await waitUntil { target.inFlight >= 2 }
        held.run.cancel()
        let outcome = await held.run.value
        #expect(outcome.dispatched >= 2)
        #expect(outcome.stoppedEarlyAt != nil)
        target.answerAll()
    }

    @Test("events that cannot be sent before the end of the schedule plus its grace count as not sent")
    func notSentPastTheDeadline() async throws {
        // 10 events over 100 ms, one slot, 50 ms of grace. The first event holds the slot until well
        // past the deadline, so at most that one is sent (none, if the test process is starved past
        // the deadline before the first send): the others count as not sent, not as stopped.
        let held = HeldRun(rate: 100, duration: .milliseconds(100), concurrency: 1, grace: .milliseconds(50), seed: 9)
        let (target, statistics) = (held.target, held.statistics)
        try await waitUntil { target.inFlight == 1 || statistics.snapshot().notSent > 0 }
        try await Task.sleep(until: held.start + .milliseconds(300))
        target.answerAll()
        let outcome = await held.run.value
        let state = statistics.snapshot()
        #expect(outcome.stoppedEarlyAt == nil)
        #expect(outcome.dispatched <= 1)
        #expect(outcome.dispatched + state.notSent == 10)
        #expect(state.acknowledgedTotal == outcome.dispatched)
    }

    /// Polls `condition` every 10 ms for up to 10 s.
    private func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            try #require(ContinuousClock.now < deadline, "the condition did not come true within 10 s")
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// A scheduler run, started at once on the suite's two loops, against a target that holds its answers.
private struct HeldRun {
    let target = HeldAnswersTarget()
    let statistics = SimulationStatistics()
    let scheduler: LoadScheduler
    let start = ContinuousClock.now
    let run: Task<LoadScheduler.Outcome, Never>

    init(rate: Double, duration: Duration, concurrency: Int, grace: Duration, seed: UInt64) {
        let scheduler = LoadScheduler(
            schedule: LoadSchedule(rate: rate, duration: duration), target: target, statistics: statistics,
            concurrency: concurrency, grace: grace, eventLoopGroup: SimulatorScheduleTests.loops
        )
        let generator = FunnelGenerator(configuration: FunnelConfiguration(seed: seed))
        let start = self.start
        self.scheduler = scheduler
        self.run = Task { await scheduler.run(generator: generator, start: start) }
    }
}

/// A target that keeps every answer until the test releases them (or answers at once), and counts
/// the requests in flight.
private final class HeldAnswersTarget: SimulationTarget {
    private struct State {
        var held: [EventLoopPromise<TargetAnswer>] = []
        var answeringAtOnce: Bool
        var receivedOn: [(eventID: String, loop: ObjectIdentifier)] = []
        var mostInFlight = 0
    }

    let name = "held"
    private let state: Mutex<State>

    init(answeringAtOnce: Bool = false) {
        state = Mutex(State(answeringAtOnce: answeringAtOnce))
    }

    func warmUp() async {}

    func send(_ event: ValidatedEvent, on eventLoop: any EventLoop) -> EventLoopFuture<TargetAnswer> {
        let promise = eventLoop.makePromise(of: TargetAnswer.self)
        let atOnce = state.withLock { state in
            state.receivedOn.append((event.eventID, ObjectIdentifier(eventLoop)))
            guard !state.answeringAtOnce else { return true }
            state.held.append(promise)
            state.mostInFlight = max(state.mostInFlight, state.held.count)
            return false
        }
        if atOnce { promise.succeed(TargetAnswer(status: "202", acknowledged: true)) }
        return promise.futureResult
    }

    /// Answers every held request with 202, and every later one at once.
    func answerAll() {
        let held = state.withLock { state in
            state.answeringAtOnce = true
            defer { state.held = [] }
            return state.held
        }
        held.forEach { $0.succeed(TargetAnswer(status: "202", acknowledged: true)) }
    }

    var inFlight: Int { state.withLock { $0.held.count } }
    var mostInFlight: Int { state.withLock { $0.mostInFlight } }
    var received: [String] { receivedOn.map(\.eventID) }
    var receivedOn: [(eventID: String, loop: ObjectIdentifier)] { state.withLock { $0.receivedOn } }

    func shutdown() async {}
}
