/// An error from the Kafka core: what failed, librdkafka's own code and message, and whether trying again can help.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// What kind of operation failed. A struct with static members so that new kinds can be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate let name: String
        /// The configuration was rejected (unknown property, invalid value).
        public static let configuration = Code(name: "configuration")
        /// librdkafka refused to create the client.
        public static let clientCreation = Code(name: "clientCreation")
        /// The message could not be enqueued (local queue full, unknown topic, message too large).
        public static let enqueue = Code(name: "enqueue")
        /// The broker did not acknowledge the message (delivery report with an error).
        public static let delivery = Code(name: "delivery")
        /// A metadata, admin or offset request failed or ran out of time.
        public static let request = Code(name: "request")
        /// The cluster does not answer this kind of request (e.g. CreateTopics on the mock cluster).
        public static let unsupported = Code(name: "unsupported")
        /// A consumer operation failed.
        public static let consume = Code(name: "consume")
        /// The client has been shut down.
        public static let shutdown = Code(name: "shutdown")
        /// The embedded (mock) cluster could not be started or changed.
        public static let mockCluster = Code(name: "mockCluster")
        public var description: String { name }
    }

    /// What kind of operation failed.
    public var code: Code
    /// librdkafka's symbolic error name without the leading underscore (`MSG_TIMED_OUT`, `QUEUE_FULL`), or nil.
    public var rdKafkaName: String?
    /// librdkafka's numeric `rd_kafka_resp_err_t`, or nil when the error did not come from librdkafka.
    public var rdKafkaCode: Int32?
    /// A human readable explanation.
    public var message: String
    /// Trying the same operation again may succeed.
    public var isRetriable: Bool
    /// The client cannot be used any more.
    public var isFatal: Bool
    /// For a failed delivery: the broker may have stored the message anyway (a time-out after sending).
    /// False when librdkafka knows the message was never persisted.
    public var possiblyPersisted: Bool = false

    public init(
        code: Code,
        message: String,
        rdKafkaName: String? = nil,
        rdKafkaCode: Int32? = nil,
        isRetriable: Bool = false,
        isFatal: Bool = false,
        possiblyPersisted: Bool = false
    ) {
        self.code = code
        self.message = message
        self.rdKafkaName = rdKafkaName
        self.rdKafkaCode = rdKafkaCode
        self.isRetriable = isRetriable
        self.isFatal = isFatal
        self.possiblyPersisted = possiblyPersisted
    }

    public var description: String {
        if let rdKafkaName {
            return "\(message) (\(rdKafkaName))"
        }
        return message
    }


    /// The local producer queue is full.
    public var isQueueFull: Bool { rdKafkaName == "QUEUE_FULL" }
}
