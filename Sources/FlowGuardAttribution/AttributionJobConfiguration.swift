import FlowGuardEvents
import FlowGuardKafka

/// Everything `flowguard attribute` is asked to do.
package struct AttributionJobConfiguration: Sendable {
    /// The cluster and the librdkafka properties of every client.
    package var kafka: KafkaConfiguration
    /// `--group`: the consumer group that shares the order partitions among instances.
    package var groupID: String
    /// The orders topic, read by the group.
    package var ordersTopic: String
    /// The clicks and impressions topic, read partition by partition beside the orders.
    package var clicksTopic: String
    /// `--output`: the topic of the attributed orders; it must have as many partitions as the orders topic.
    package var outputTopic: String
    /// The windows of the model and the hold.
    package var windows: AttributionWindows
    /// `--transactions`: write each batch of output and its order offsets in one Kafka transaction.
    package var transactional: Bool
    /// How much earlier than `now - max(windows)` the clicks are read back after an assignment, for
    /// orders that were already late; and how much earlier than an order's append time the output is
    /// read back, for clocks that differ between machines.
    package var rebuildMargin: Duration

    package init(
        kafka: KafkaConfiguration, groupID: String = "flowguard-attribution", ordersTopic: String = EventKind.order.topic,
        clicksTopic: String = EventKind.click.topic, outputTopic: String = AttributedOrder.defaultTopic, windows: AttributionWindows = AttributionWindows(),
        transactional: Bool = false, rebuildMargin: Duration = .seconds(300)
    ) {
        self.kafka = kafka
        self.groupID = groupID
        self.ordersTopic = ordersTopic
        self.clicksTopic = clicksTopic
        self.outputTopic = outputTopic
        self.windows = windows
        self.transactional = transactional
        self.rebuildMargin = rebuildMargin
    }
}
