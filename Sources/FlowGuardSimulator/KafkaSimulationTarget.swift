import FlowGuardEvents
import FlowGuardKafka
import FoundationEssentials
import Logging
import NIOCore

/// Produces events straight to their topics, as exactly the records the gateway would write.
package final class KafkaSimulationTarget: SimulationTarget {
    package let name: String
    private let producer: KafkaProducer

    /// - Parameters:
    ///   - configuration: the cluster and librdkafka properties (from the environment).
    ///   - timeout: how long Kafka has to acknowledge one event (`message.timeout.ms`, unless set in the environment).
    ///   - logger: receives librdkafka's log lines.
    /// - Throws: `KafkaError` when the producer cannot be created.
    package init(configuration: KafkaConfiguration, timeout: Duration, logger: Logger) throws(KafkaError) {
        var configuration = configuration
        if configuration.producer["message.timeout.ms"] == nil {
            configuration.producer["message.timeout.ms"] = String(timeout.milliseconds)
        }
        self.name = "kafka (\(configuration.bootstrapServers))"
        self.producer = try KafkaProducer(configuration: configuration, logger: logger)
        producer.startPolling()
    }

    /// Fetches the cluster's metadata through the producer: without it the first records wait up to
    /// a second for librdkafka to learn where the topics' partitions are.
    package func warmUp() async {
        _ = try? await producer.metadata(timeout: .seconds(5))
    }

    package func send(_ event: ValidatedEvent, on eventLoop: any EventLoop) -> EventLoopFuture<TargetAnswer> {
        // The request id is the event id: the gateway target sends it as X-Request-ID, so both
        // targets write the same headers.
        let record = event.kafkaRecord(requestID: event.eventID, receivedAtMillis: Int64(Date().timeIntervalSince1970 * 1000))
        let promise = eventLoop.makePromise(of: TargetAnswer.self)
        producer.produce(record) { result in
            switch result {
            case .success: promise.succeed(.kafkaAcknowledged)
            case .failure(let error): promise.succeed(TargetAnswer(status: error.rdKafkaName ?? error.code.description, acknowledged: false))
            }
        }
        return promise.futureResult
    }

    package func shutdown() async {
        await producer.flush(timeout: .seconds(5))
        producer.stopPolling()
    }
}
