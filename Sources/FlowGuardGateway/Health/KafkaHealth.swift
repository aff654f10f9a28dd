/// What the gateway last learned about Kafka.
public struct KafkaHealth: Sendable, Equatable {
    /// The last metadata request succeeded.
    public var connected: Bool
    /// Brokers in the last successful metadata answer.
    public var brokers: Int
    /// Partition counts of the topics the gateway needs, from the last successful answer.
    public var topics: [String: Int]
    /// Partitions without a leader, by topic.
    public var leaderlessPartitions: [String: Int]
    /// When the last successful answer arrived (monotonic).
    public var lastSuccess: ContinuousClock.Instant?
    /// Why the last refresh failed, if it did.
    public var lastError: String?

    /// Nothing known yet.
    public static let unknown = KafkaHealth(
        connected: false, brokers: 0, topics: [:], leaderlessPartitions: [:], lastSuccess: nil, lastError: "no metadata yet"
    )

    /// Seconds since the last successful answer; nil if there never was one.
    public func age(now: ContinuousClock.Instant = .now) -> Double? {
        lastSuccess.map { now - $0 }.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
    }

    /// Why the gateway cannot take events now, or nil when it can.
    public func unavailableReason(requiredTopics: [String]) -> String? {
        guard connected else { return "Kafka is unreachable: \(lastError ?? "no answer")" }
        let missing = requiredTopics.filter { topics[$0] == nil }
        guard missing.isEmpty else { return "topics missing in Kafka: \(missing.joined(separator: ", "))" }
        return nil
    }
}
