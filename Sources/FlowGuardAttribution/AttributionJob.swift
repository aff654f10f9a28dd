import FlowGuardKafka
import FlowGuardSupport
import Logging
import ServiceLifecycle

/// `flowguard attribute`: a consumer-group application that credits every order to the ad that led to it.
///
/// The group spreads the order partitions over the instances; each instance reads, beside every order
/// partition it is given, the click partitions that hold the same users (``PartitionLayout``), keeps
/// their recent clicks and impressions (``AttributionModel``), holds each order until those click
/// partitions have been read past its time (``OrderHold``), and writes one record per order. Output
/// is acknowledged before the order offsets are committed, and after every assignment the job reads
/// its own recent output back and skips the orders it already credited, so that each order gets
/// exactly one record even where transactions are not kept (docs/attribute.md).
package final class AttributionJob: Service, Sendable {
    package let configuration: AttributionJobConfiguration
    package let metrics: AttributionMetrics
    let logger: Logger

    package init(configuration: AttributionJobConfiguration, metrics: AttributionMetrics = AttributionMetrics(), logger: Logger) {
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
    }

    /// Runs until shutdown (graceful shutdown or cancellation).
    /// - Throws: ``AttributionJobError`` when the topics do not fit together or Kafka fails in a way
    ///   that retrying does not fix; what was committed stays consistent, and a restart continues.
    package func run() async throws {
        var session = try await AttributionSession(job: self)
        defer { session.producer.stopPolling() }
        // The loop checks for shutdown between turns; a turn is short (its longest wait is 20 ms).
        try await session.run()
        await session.close()
    }
}

/// Why the job stopped.
package struct AttributionJobError: Error, Sendable, CustomStringConvertible {
    package var description: String

    package init(_ description: String) {
        self.description = description
    }

    init(_ what: String, _ error: KafkaError) {
        self.description = "\(what): \(error)"
    }
}
