import FlowGuardJSON

/// A snapshot of librdkafka's statistics (`statistics.interval.ms`), the fields FlowGuard reports.
public struct KafkaStatistics: Sendable, Equatable {
    /// Per-broker figures.
    public struct Broker: Sendable, Equatable {
        public var name: String
        public var nodeID: Int
        /// `UP`, `DOWN`, `CONNECT`, ...
        public var state: String
        /// Average round-trip time of requests, in seconds.
        public var averageRTTSeconds: Double
        /// Requests waiting to be sent plus requests waiting for an answer.
        public var outstandingRequests: Int
    }

    /// Messages in the producer's queues (waiting to be sent or acknowledged).
    public var queuedMessages: Int
    /// Bytes in the producer's queues.
    public var queuedBytes: Int
    /// Messages sent to brokers since the client started.
    public var transmittedMessages: Int
    /// Messages the broker acknowledged or failed since the client started (`txmsgs` counts sends).
    public var transmittedBytes: Int
    /// Per-broker statistics, ordered by name; bootstrap pseudo-brokers are left out.
    public var brokers: [Broker]
    /// The statistics JSON as librdkafka emitted it.
    public var json: String
    /// When librdkafka took the snapshot, in microseconds since the epoch.
    public var timestampMicros: Int64

    /// Parses librdkafka's statistics JSON; nil when it is not the expected shape.
    public init?(json bytes: [UInt8]) {
        guard case .object(let object)? = try? JSONParser.parse(bytes) else { return nil }
        func int(_ object: JSONObject, _ key: String) -> Int {
            guard case .number(let number)? = object[key], let value = number.integralValue else { return 0 }
            return Int(value)
        }
        queuedMessages = int(object, "msg_cnt")
        queuedBytes = int(object, "msg_size")
        transmittedMessages = int(object, "txmsgs")
        transmittedBytes = int(object, "txmsg_bytes")
        timestampMicros = Int64(int(object, "ts"))
        json = String(decoding: bytes, as: UTF8.self)
        guard case .object(let brokerObjects)? = object["brokers"] else {
            brokers = []
            return
        }
        brokers = brokerObjects.entries.compactMap { name, value -> Broker? in
            guard case .object(let broker) = value else { return nil }
            let nodeID = int(broker, "nodeid")
            guard nodeID >= 0 else { return nil }  // -1: bootstrap placeholder
            let rtt: JSONObject
            if case .object(let object)? = broker["rtt"] { rtt = object } else { rtt = JSONObject() }
            let state: String
            if case .string(let text)? = broker["state"] { state = text } else { state = "UNKNOWN" }
            return Broker(
                name: name,
                nodeID: nodeID,
                state: state,
                averageRTTSeconds: Double(int(rtt, "avg")) / 1_000_000,
                outstandingRequests: int(broker, "outbuf_cnt") + int(broker, "waitresp_cnt")
            )
        }.sorted { $0.nodeID < $1.nodeID }
    }
}
