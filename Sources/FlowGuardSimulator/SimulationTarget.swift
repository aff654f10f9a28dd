import FlowGuardEvents
import NIOCore

/// Where a simulation sends its events: the gateway over HTTP, or Kafka directly.
package protocol SimulationTarget: Sendable {
    /// What the report calls the target: the URL, or `kafka (HOST:PORT)`.
    var name: String { get }
    /// Gets ready before the schedule starts, so that set-up time does not count as the first events' latency.
    func warmUp() async
    /// Sends one event from `eventLoop`; the future never fails: a failure is an answer too.
    func send(_ event: ValidatedEvent, on eventLoop: any EventLoop) -> EventLoopFuture<TargetAnswer>
    /// Releases connections; called once, after the last send finished.
    func shutdown() async
}

/// The outcome of sending one event.
package struct TargetAnswer: Sendable, Equatable {
    /// The HTTP status code (`202`, `503`), `ack` for a Kafka acknowledgement, or what went wrong
    /// (`timeout`, `connect`, `transport`, a librdkafka error name).
    var status: String
    /// Whether the event was stored: a 2xx answer or a Kafka acknowledgement.
    var acknowledged: Bool

    /// Kafka acknowledged the event.
    static let kafkaAcknowledged = TargetAnswer(status: "ack", acknowledged: true)
}
