import FlowGuardEvents
import Histogram
import Synchronization

/// Latencies in microseconds, from 1 µs to 1 hour with 3 significant digits.
typealias LatencyHistogram = Histogram<UInt64>

extension LatencyHistogram {
    /// An empty histogram of microseconds up to one hour.
    static func microseconds() -> LatencyHistogram {
        LatencyHistogram(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
    }

    /// Records a duration, clamped to the trackable range.
    mutating func record(_ duration: Duration) {
        record(Swift.min(Swift.max(duration.wholeMicroseconds, 1), highestTrackableValue))
    }
}

/// What a run has done so far, shared by the request tasks, the dispatcher, the progress line and the report.
final class SimulationStatistics: Sendable {
    /// Everything counted; a copy of it makes the report.
    struct State: Sendable {
        /// Events sent, by kind.
        var sent: [EventKind: Int] = [:]
        /// Events acknowledged (2xx or Kafka ack), by kind.
        var acknowledged: [EventKind: Int] = [:]
        /// Outcomes by status: `202`, `503`, `timeout`, `ack`, ...
        var answers: [String: Int] = [:]
        /// Outcomes that were not acknowledgements, by status.
        var failed: [String: Int] = [:]
        /// Events that found every slot of `--concurrency` taken and waited for one: sent late.
        var waitedForSlot = 0
        /// When the cap was first reached, from the start.
        var capFirstReachedAt: Duration?
        /// Planned events never sent: the run fell too far behind its schedule.
        var notSent = 0
        /// When the latest event was sent, from the start.
        var lastDispatch: Duration = .zero
        /// From each event's scheduled time to its outcome, in microseconds.
        var latency = LatencyHistogram.microseconds()
        /// From each event's scheduled time to the moment it was sent, in microseconds.
        var dispatchLag = LatencyHistogram.microseconds()

        /// Events sent, of every kind.
        var sentTotal: Int { sent.values.reduce(0, +) }
        /// Events acknowledged, of every kind.
        var acknowledgedTotal: Int { acknowledged.values.reduce(0, +) }
        /// Outcomes that were not acknowledgements.
        var failures: Int { failed.values.reduce(0, +) }
        /// Outcomes received so far.
        var completed: Int { acknowledgedTotal + failures }
    }

    /// A few figures for the progress line, taken at once.
    struct Progress: Sendable {
        var sent: Int
        var acknowledged: Int
        /// Failures by status, most frequent first.
        var failures: [(status: String, count: Int)]
        var p50: Duration
        var p99: Duration
        var waitedForSlot: Int
        var capFirstReachedAt: Duration?
    }

    private let state = Mutex(State())

    init() {}

    /// Counts an event as sent at `offset` after the start, `lag` after it was due.
    func recordDispatch(_ kind: EventKind, lag: Duration, at offset: Duration) {
        state.withLock { state in
            state.sent[kind, default: 0] += 1
            state.dispatchLag.record(lag)
            state.lastDispatch = offset
        }
    }

    /// Counts an event that had to wait for a free slot; the first one marks when the cap was reached.
    func recordWaitForSlot(at offset: Duration) {
        state.withLock { state in
            state.waitedForSlot += 1
            if state.capFirstReachedAt == nil { state.capFirstReachedAt = offset }
        }
    }

    /// Counts one outcome and its latency from the event's scheduled time.
    func recordAnswer(_ answer: TargetAnswer, kind: EventKind, latency: Duration) {
        state.withLock { state in
            state.answers[answer.status, default: 0] += 1
            if answer.acknowledged {
                state.acknowledged[kind, default: 0] += 1
            } else {
                state.failed[answer.status, default: 0] += 1
            }
            state.latency.record(latency)
        }
    }

    /// Counts planned events that were never sent.
    func recordNotSent(_ count: Int) {
        state.withLock { $0.notSent += count }
    }

    /// The figures of the progress line.
    func progress() -> Progress {
        state.withLock { state in
            Progress(
                sent: state.sentTotal,
                acknowledged: state.acknowledgedTotal,
                failures: state.failed
                    .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                    .map { (status: $0.key, count: $0.value) },
                p50: .microseconds(Int64(state.latency.valueAtPercentile(50))),
                p99: .microseconds(Int64(state.latency.valueAtPercentile(99))),
                waitedForSlot: state.waitedForSlot,
                capFirstReachedAt: state.capFirstReachedAt
            )
        }
    }

    /// A copy of everything counted.
    func snapshot() -> State {
        state.withLock { $0 }
    }
}
