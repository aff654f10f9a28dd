import Testing
@testable import FlowGuardCore

@Suite("simulate: rate profiles, the schedule, the in-flight cap")
struct SimulatorScheduleTests {
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

    @Test("the in-flight cap hands a released slot to the waiting dispatcher, and a cancelled wait returns false")
    func limiter() async {
        let limiter = InFlightLimiter(limit: 2)
        #expect(limiter.tryAcquire())
        #expect(limiter.tryAcquire())
        #expect(!limiter.tryAcquire())
        async let acquired = limiter.acquire()
        try? await Task.sleep(for: .milliseconds(50))
        limiter.release()
        #expect(await acquired)
        #expect(limiter.inFlight == 2)

        let waiting = Task { await limiter.acquire() }
        try? await Task.sleep(for: .milliseconds(50))
        waiting.cancel()
        #expect(await waiting.value == false)
        #expect(limiter.inFlight == 2)
    }
}
