/// A consumer group as its coordinator describes it.
public struct ConsumerGroup: Sendable, Equatable {
    /// One member of the group and the partitions it was given.
    public struct Member: Sendable, Equatable {
        public var id: String
        public var clientID: String
        public var host: String
        /// Decoded from the member's assignment when the group uses the consumer protocol; empty otherwise.
        public var assignment: [TopicPartition]

        public init(id: String, clientID: String, host: String, assignment: [TopicPartition]) {
            self.id = id
            self.clientID = clientID
            self.host = host
            self.assignment = assignment
        }
    }

    public var id: String
    /// The coordinator's word for it: `Stable`, `Empty`, `PreparingRebalance`, `CompletingRebalance`, `Dead`.
    public var state: String
    /// `consumer` for Kafka consumers; other clients (Connect, for one) use the group protocol too.
    public var protocolType: String
    /// The assignor the members agreed on (`range`, `roundrobin`, `cooperative-sticky`, ...).
    public var protocolName: String
    public var members: [Member]

    public init(id: String, state: String, protocolType: String, protocolName: String, members: [Member]) {
        self.id = id
        self.state = state
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.members = members
    }
}

extension ConsumerGroup.Member {
    /// Decodes the consumer protocol's assignment: a version (int16), then an array (int32 count) of
    /// topics, each a string (int16 length) and an array of int32 partitions, then user data that
    /// FlowGuard does not read. Big-endian throughout. Anything malformed yields what was read before it.
    static func decodeAssignment(_ bytes: [UInt8]) -> [TopicPartition] {
        var reader = BigEndianReader(bytes: bytes)
        guard reader.int16() != nil, let topicCount = reader.int32(), topicCount >= 0 else { return [] }
        var result: [TopicPartition] = []
        for _ in 0..<topicCount {
            guard let topic = reader.string(), let partitionCount = reader.int32(), partitionCount >= 0 else { break }
            for _ in 0..<partitionCount {
                guard let partition = reader.int32() else { return result }
                result.append(TopicPartition(topic: topic, partition: partition))
            }
        }
        return result.sorted()
    }
}

/// Reads Kafka's big-endian protocol fields; every read is bounds-checked and nil past the end.
private struct BigEndianReader {
    let bytes: [UInt8]
    var index = 0

    mutating func int16() -> Int16? {
        guard index + 2 <= bytes.count else { return nil }
        defer { index += 2 }
        return Int16(bitPattern: UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
    }

    mutating func int32() -> Int32? {
        guard index + 4 <= bytes.count else { return nil }
        defer { index += 4 }
        var value: UInt32 = 0
        for offset in 0..<4 { value = value << 8 | UInt32(bytes[index + offset]) }
        return Int32(bitPattern: value)
    }

    mutating func string() -> String? {
        guard let length = int16(), length >= 0, index + Int(length) <= bytes.count else { return nil }
        defer { index += Int(length) }
        return String(decoding: bytes[index..<index + Int(length)], as: UTF8.self)
    }
}
