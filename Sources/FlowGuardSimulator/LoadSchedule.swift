/// When each event of a run is due: `--rate` shaped by `--profile` over `--duration`.
///
/// Event i is due when the profile has asked for i events, so the schedule never drifts: event
/// 10,000 of a constant 1000/s run is due at exactly 10 s, however late the ones before it were.
package struct LoadSchedule: Sendable {
    /// `--rate`: events per second (the constant rate, the ramp's top, the spike's and sine's base).
    let rate: Double
    /// `--duration`.
    let duration: Duration
    /// `--profile`.
    let profile: RateProfile
    /// The events due within the duration.
    package let plannedEvents: Int

    init(rate: Double, duration: Duration, profile: RateProfile = .constant) {
        self.rate = rate
        self.duration = duration
        self.profile = profile
        let total = rate * duration.inSeconds * profile.cumulative(at: 1)
        // Events 0, 1, ... are due at F⁻¹(i / (rate × duration)); those before the end are planned.
        // The small allowance keeps 50/s × 2 s at exactly 100 despite rounding.
        self.plannedEvents = max(0, Int((total - 1e-9).rounded(.up)))
    }

    /// When event `index` (from 0) is due, from the start of the run.
    func offset(ofEvent index: Int) -> Duration {
        let fraction = profile.fraction(atCumulative: Double(index) / (rate * duration.inSeconds))
        return .seconds(fraction * duration.inSeconds)
    }

    /// The events asked for during the first `elapsed` of the run.
    func askedEvents(by elapsed: Duration) -> Double {
        let fraction = min(1, max(0, elapsed.inSeconds / duration.inSeconds))
        return rate * duration.inSeconds * profile.cumulative(at: fraction)
    }

    /// The average asked rate over the first `elapsed` of the run, in events per second.
    func averageAskedRate(over elapsed: Duration) -> Double {
        let seconds = min(elapsed.inSeconds, duration.inSeconds)
        return seconds > 0 ? askedEvents(by: elapsed) / seconds : rate * profile.relativeRate(at: 0)
    }
}
