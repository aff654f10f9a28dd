import FlowGuardAttribution
import FlowGuardConfig
import FlowGuardGateway
import FlowGuardKafka

/// What `flowguard console` (or the console inside `start-gateway`) serves and how.
package struct ConsoleConfiguration: Sendable {
    /// The address to listen on; loopback unless the operator says otherwise.
    package var host: String
    package var port: Int
    /// Removes produce and offset reset.
    package var readOnly: Bool
    /// Keys that every page and API call needs; empty: none needed.
    package var apiKeys: APIKeyDigests
    /// The gateway whose `/health` the overview shows and to which "send through the gateway" posts;
    /// nil: `http://localhost:8000` when one answers there.
    package var gatewayURL: String?
    /// Consumer groups to show when the cluster cannot list them (librdkafka's embedded cluster).
    package var groups: [String]
    /// How many records a filtered search reads at most before it stops and says so.
    package var scanLimit: Int
    /// How long any one Kafka call may take before the console answers without it.
    package var kafkaTimeout: Duration
    /// The topics file, for drift; nil when it could not be read (drift is then not shown).
    package var topicsFile: TopicsFile?
    /// The cluster is an embedded one, which reports every broker as a replica.
    package var embeddedCluster: Bool
    /// How many live records a browser page holds before it drops the oldest.
    package var liveCap: Int
    /// The topic `flowguard attribute` writes, which the attribution page adds up.
    package var attributionTopic: String
    /// How many records the attribution page reads at most; past it, it reads the newest this many
    /// of its time range and says so.
    package var attributionScanLimit: Int

    package init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        readOnly: Bool = false,
        apiKeys: APIKeyDigests = APIKeyDigests(),
        gatewayURL: String? = nil,
        groups: [String] = [],
        scanLimit: Int = 100_000,
        kafkaTimeout: Duration = .seconds(5),
        topicsFile: TopicsFile? = nil,
        embeddedCluster: Bool = false,
        liveCap: Int = 500,
        attributionTopic: String = AttributedOrder.defaultTopic,
        attributionScanLimit: Int = 200_000
    ) {
        self.host = host
        self.port = port
        self.readOnly = readOnly
        self.apiKeys = apiKeys
        self.gatewayURL = gatewayURL
        self.groups = groups
        self.scanLimit = scanLimit
        self.kafkaTimeout = kafkaTimeout
        self.topicsFile = topicsFile
        self.embeddedCluster = embeddedCluster
        self.liveCap = liveCap
        self.attributionTopic = attributionTopic
        self.attributionScanLimit = attributionScanLimit
    }

    /// Whether `host` is reachable from other machines: anything but a loopback address.
    package var listensPublicly: Bool {
        !(host == "localhost" || host.hasPrefix("127.") || host == "::1")
    }
}
