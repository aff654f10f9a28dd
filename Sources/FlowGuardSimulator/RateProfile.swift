#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The shape of the asked rate over a run, relative to `--rate`: constant, a ramp, a spike or a sine wave.
///
/// A profile is described over the run's fraction x in 0...1 by its relative rate f(x) and by
/// F(x), the integral of f from 0 to x; the events asked by time t of a run of duration D at rate r
/// are r × D × F(t / D).
package struct RateProfile: Sendable, Hashable, CustomStringConvertible {
    private enum Shape: Hashable {
        case constant, ramp, spike, sine
    }

    /// The name `--profile` takes.
    package let name: String
    private let shape: Shape

    /// `--rate` from start to end.
    static let constant = RateProfile(name: "constant", shape: .constant)
    /// From 0 up to `--rate`, linearly over the run: half the events of a constant run.
    static let ramp = RateProfile(name: "ramp", shape: .ramp)
    /// `--rate`, and `spikeFactor` × `--rate` during the middle tenth of the run.
    static let spike = RateProfile(name: "spike", shape: .spike)
    /// `--rate` ± 50 %, one full period over the run (up first): as many events as a constant run.
    static let sine = RateProfile(name: "sine", shape: .sine)

    /// Every profile, in the order help lists them.
    package static let known: [RateProfile] = [.constant, .ramp, .spike, .sine]

    /// How many times `--rate` the spike asks for.
    static let spikeFactor = 5.0
    private static let spikeStart = 0.45
    private static let spikeEnd = 0.55
    private static let sineAmplitude = 0.5

    /// The profile named `name`, or nil.
    package init?(name: String) {
        guard let profile = Self.known.first(where: { $0.name == name }) else { return nil }
        self = profile
    }

    private init(name: String, shape: Shape) {
        self.name = name
        self.shape = shape
    }

    package var description: String { name }

    /// f(x): the asked rate at fraction `x` of the run, as a multiple of `--rate`.
    func relativeRate(at x: Double) -> Double {
        switch shape {
        case .constant:
            return 1
        case .ramp:
            return x
        case .spike:
            return x >= Self.spikeStart && x < Self.spikeEnd ? Self.spikeFactor : 1
        case .sine:
            return 1 + Self.sineAmplitude * sin(2 * .pi * x)
        }
    }

    /// F(x): the events asked by fraction `x` of the run, in units of `--rate` × duration.
    func cumulative(at x: Double) -> Double {
        switch shape {
        case .constant:
            return x
        case .ramp:
            return x * x / 2
        case .spike:
            let before = min(x, Self.spikeStart)
            let during = max(0, min(x, Self.spikeEnd) - Self.spikeStart)
            let after = max(0, x - Self.spikeEnd)
            return before + Self.spikeFactor * during + after
        case .sine:
            return x + Self.sineAmplitude / (2 * .pi) * (1 - cos(2 * .pi * x))
        }
    }

    /// The inverse of F: the fraction of the run at which F reaches `y`.
    func fraction(atCumulative y: Double) -> Double {
        switch shape {
        case .constant:
            return y
        case .ramp:
            return (2 * y).squareRoot()
        case .spike:
            let spikeBase = Self.spikeStart
            let spikeTop = spikeBase + Self.spikeFactor * (Self.spikeEnd - Self.spikeStart)
            if y < spikeBase { return y }
            if y < spikeTop { return Self.spikeStart + (y - spikeBase) / Self.spikeFactor }
            return Self.spikeEnd + (y - spikeTop)
        case .sine:
            // Newton's method: f stays within 0.5...1.5, so F is steep enough to converge in a few steps.
            var x = y
            for _ in 0..<20 {
                let step = (cumulative(at: x) - y) / relativeRate(at: x)
                x -= step
                if abs(step) < 1e-13 { break }
            }
            return x
        }
    }
}
