/// Everything a run is asked to do: the traffic, its schedule, the cap, and the pass mark.
package struct SimulationConfiguration: Sendable {
    /// `--rate`: events per second (the constant rate, the ramp's top, the spike's and sine's base).
    package var rate: Double
    /// `--duration`: how long events are scheduled for.
    package var duration: Duration
    /// `--profile`: the shape of the rate over the run.
    package var profile: RateProfile
    /// `--concurrency`: the most requests in flight.
    package var concurrency: Int
    /// `--timeout`: how long one request may take.
    package var requestTimeout: Duration
    /// The simulated users and what is sent.
    package var funnel: FunnelConfiguration
    /// `--max-error-rate`: the share of failed outcomes (0...1) the run may have and still pass.
    package var maxErrorRate: Double

    /// Creates a configuration; every argument has the simulator's default.
    package init(
        rate: Double = 5,
        duration: Duration = .seconds(10),
        profile: RateProfile = .constant,
        concurrency: Int = 64,
        requestTimeout: Duration = .seconds(10),
        funnel: FunnelConfiguration = FunnelConfiguration(),
        maxErrorRate: Double = 0
    ) {
        self.rate = rate
        self.duration = duration
        self.profile = profile
        self.concurrency = concurrency
        self.requestTimeout = requestTimeout
        self.funnel = funnel
        self.maxErrorRate = maxErrorRate
    }

    /// The schedule these settings ask for.
    package var schedule: LoadSchedule {
        LoadSchedule(rate: rate, duration: duration, profile: profile)
    }
}
