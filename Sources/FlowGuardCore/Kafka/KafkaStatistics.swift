import Foundation

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
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return nil }
        func int(_ dictionary: [String: Any], _ key: String) -> Int {
            (dictionary[key] as? NSNumber)?.intValue ?? 0
        }
        queuedMessages = int(object, "msg_cnt")
        queuedBytes = int(object, "msg_size")
        transmittedMessages = int(object, "txmsgs")
        transmittedBytes = int(object, "txmsg_bytes")
        timestampMicros = Int64((object["ts"] as? NSNumber)?.int64Value ?? 0)
        json = String(decoding: bytes, as: UTF8.self)
        let brokerObjects = object["brokers"] as? [String: Any] ?? [:]
        brokers = brokerObjects.compactMap { name, value -> Broker? in
            guard let broker = value as? [String: Any] else { return nil }
            let nodeID = int(broker, "nodeid")
            guard nodeID >= 0 else { return nil }  // -1: bootstrap placeholder
            let rtt = broker["rtt"] as? [String: Any] ?? [:]
            return Broker(
                name: name,
                nodeID: nodeID,
                state: broker["state"] as? String ?? "UNKNOWN",
                averageRTTSeconds: Double(int(rtt, "avg")) / 1_000_000,
                outstandingRequests: int(broker, "outbuf_cnt") + int(broker, "waitresp_cnt")
            )
        }.sorted { $0.nodeID < $1.nodeID }
    }
}
