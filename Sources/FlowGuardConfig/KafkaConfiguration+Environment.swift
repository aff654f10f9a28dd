import FlowGuardKafka
import FlowGuardSupport

extension KafkaConfiguration {
    /// The `KAFKA_*` variables of the original service and the librdkafka properties they set.
    public static let environmentProperties: [(variable: String, property: String)] = [
        ("KAFKA_CLIENT_ID", "client.id"),
        ("KAFKA_SECURITY_PROTOCOL", "security.protocol"),
        ("KAFKA_SASL_MECHANISM", "sasl.mechanism"),
        ("KAFKA_SASL_USERNAME", "sasl.username"),
        ("KAFKA_SASL_PASSWORD", "sasl.password"),
        ("KAFKA_SSL_CA_LOCATION", "ssl.ca.location"),
        ("KAFKA_SSL_CERTIFICATE_LOCATION", "ssl.certificate.location"),
        ("KAFKA_SSL_KEY_LOCATION", "ssl.key.location"),
        ("KAFKA_SSL_KEY_PASSWORD", "ssl.key.password"),
    ]

    /// Prefixes for any other librdkafka property: `KAFKA_PRODUCER__LINGER_MS=5` sets `linger.ms=5`
    /// on producers (lower-cased, `_` becomes `.`).
    public static let commonPrefix = "KAFKA_COMMON__"
    public static let producerPrefix = "KAFKA_PRODUCER__"
    public static let consumerPrefix = "KAFKA_CONSUMER__"

    /// Every variable `init(bootstrapServers:environment:)` reads, for the help of the commands that use it.
    public static let environmentVariables: [EnvironmentVariable] =
        environmentProperties.map { EnvironmentVariable($0.variable, help: "librdkafka's \($0.property)") } + [
            EnvironmentVariable(commonPrefix, prefix: true, help: "any librdkafka property of every client (LINGER_MS is linger.ms)"),
            EnvironmentVariable(producerPrefix, prefix: true, help: "any librdkafka property of producers"),
            EnvironmentVariable(consumerPrefix, prefix: true, help: "any librdkafka property of consumers"),
        ]

    /// The configuration for these bootstrap servers with every `KAFKA_*` property of the environment.
    public init(bootstrapServers: String, environment: Environment) {
        var common: [String: String] = [:]
        for (variable, property) in Self.environmentProperties {
            if let value = environment[variable] { common[property] = value }
        }
        func properties(withPrefix prefix: String) -> [String: String] {
            environment.names(withPrefix: prefix).reduce(into: [:]) { result, name in
                let property = name.dropFirst(prefix.count).lowercased().replacing("_", with: ".")
                if let value = environment[name], !property.isEmpty { result[property] = value }
            }
        }
        common.merge(properties(withPrefix: Self.commonPrefix)) { _, new in new }
        self.init(
            bootstrapServers: bootstrapServers,
            common: common,
            producer: properties(withPrefix: Self.producerPrefix),
            consumer: properties(withPrefix: Self.consumerPrefix)
        )
    }
}
