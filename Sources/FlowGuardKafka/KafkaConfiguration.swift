/// The librdkafka properties of the clients FlowGuard creates, grouped by client kind.
///
/// Every property librdkafka knows can be set; FlowGuard's own defaults are applied first and
/// these override them.
public struct KafkaConfiguration: Sendable, Equatable {
    /// `bootstrap.servers`: comma-separated `host:port` list.
    public var bootstrapServers: String
    /// Properties for every client (security, client id, ...).
    public var common: [String: String]
    /// Properties for producers only.
    public var producer: [String: String]
    /// Properties for consumers only.
    public var consumer: [String: String]

    public init(
        bootstrapServers: String,
        common: [String: String] = [:],
        producer: [String: String] = [:],
        consumer: [String: String] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.common = common
        self.producer = producer
        self.consumer = consumer
    }

    /// Whether a property holds a secret that must never be logged.
    public static func isSecret(_ key: String) -> Bool {
        let key = key.lowercased()
        return key.contains("password") || key.contains("secret") || key.hasSuffix(".key.pem")
            || key.contains("oauthbearer.config") || key == "ssl.key.location"
    }

    /// The properties with secrets replaced by `***`, for logs and diagnostics.
    public static func redacted(_ properties: [String: String]) -> [String: String] {
        properties.reduce(into: [:]) { result, entry in
            result[entry.key] = isSecret(entry.key) ? "***" : entry.value
        }
    }

    /// The properties of a producer: common, then producer-specific.
    package func producerProperties() -> [String: String] {
        var properties = common.merging(producer) { _, new in new }
        properties["bootstrap.servers"] = bootstrapServers
        return properties
    }

    /// The properties of a consumer: common, then consumer-specific.
    func consumerProperties() -> [String: String] {
        var properties = common.merging(consumer) { _, new in new }
        properties["bootstrap.servers"] = bootstrapServers
        return properties
    }

    /// The properties of an admin client: the common ones only.
    func adminProperties() -> [String: String] {
        var properties = common
        properties["bootstrap.servers"] = bootstrapServers
        return properties
    }
}
