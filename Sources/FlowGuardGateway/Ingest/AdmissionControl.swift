import Synchronization

/// Bounds the events waiting for Kafka and sheds load early when Kafka falls behind, so that
/// memory stays bounded and clients get `503` with a useful `Retry-After` instead of a queue
/// without end.
final class AdmissionControl: Sendable {
    /// At most this many events wait for Kafka's acknowledgement at once.
    let maxInFlight: Int
    /// When the recent delivery latency exceeds this (and the queue is not nearly empty), new events are refused.
    let maxDeliveryLatency: Duration

    private let inFlightCount = Atomic<Int>(0)
    /// Exponentially weighted moving average of delivery latency, in microseconds.
    private let latencyMicros = Atomic<Int>(0)

    init(maxInFlight: Int, maxDeliveryLatency: Duration) {
        self.maxInFlight = maxInFlight
        self.maxDeliveryLatency = maxDeliveryLatency
    }

    /// Events waiting for Kafka now.
    var inFlight: Int { inFlightCount.load(ordering: .relaxed) }

    /// The recent delivery latency.
    var recentLatency: Duration { .microseconds(latencyMicros.load(ordering: .relaxed)) }

    /// Takes `count` places, or returns the seconds after which to retry.
    func admit(_ count: Int = 1) -> Int? {
        let waiting = inFlightCount.add(count, ordering: .relaxed).newValue
        let overloaded = waiting > maxInFlight
        let behind = recentLatency > maxDeliveryLatency && waiting > maxInFlight / 10
        guard overloaded || behind else { return nil }
        inFlightCount.subtract(count, ordering: .relaxed)
        return retryAfterSeconds
    }

    /// Gives back places taken with `admit`.
    func release(_ count: Int = 1) {
        inFlightCount.subtract(count, ordering: .relaxed)
    }

    /// Feeds one delivery latency into the moving average (weight 1/16).
    func record(latency: Duration) {
        let sample = Int(latency.nanoseconds / 1000)
        var current = latencyMicros.load(ordering: .relaxed)
        while true {
            let next = current == 0 ? sample : current + (sample - current) / 16
            let (exchanged, original) = latencyMicros.compareExchange(expected: current, desired: next, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    /// How long a refused client should wait: about two recent delivery latencies, 1 to 30 seconds.
    var retryAfterSeconds: Int {
        let seconds = Double(latencyMicros.load(ordering: .relaxed)) / 1_000_000 * 2
        return min(30, max(1, Int(seconds.rounded(.up))))
    }
}
