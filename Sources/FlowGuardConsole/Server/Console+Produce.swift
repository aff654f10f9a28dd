import AsyncHTTPClient
import FlowGuardEvents
import FlowGuardJSON
import FlowGuardKafka
import FlowGuardSupport
import Hummingbird
import NIOCore

/// One record to send from the produce form or `POST /api/produce`.
struct ProduceRequest: Sendable {
    var topic: String
    var partition: Int32?
    var key: String?
    var headers: [KafkaHeader]
    var value: [UInt8]
    /// `kafka` (straight), or through the gateway's endpoint of an event kind (`order`, `click`,
    /// `impression`, validated and answered as any client's event); `gateway` picks the topic's one kind.
    var via: String

    /// From the form: headers one `name=value` a line.
    init(form: FormFields) throws(ConsoleError) {
        guard let topic = form["topic"], !topic.isEmpty else { throw .badRequest("topic is required") }
        self.topic = topic
        if let text = form["partition"], !text.isEmpty {
            guard let value = Int32(text), value >= 0 else { throw .badRequest("partition must be a partition number, got '\(text)'") }
            partition = value
        }
        key = form["key"].flatMap { $0.isEmpty ? nil : $0 }
        headers = []
        for line in (form["headers"] ?? "").split(whereSeparator: \.isNewline) where !line.trimmingSpaces().isEmpty {
            guard let equals = line.firstIndex(of: "="), equals != line.startIndex else {
                throw .badRequest("headers must be name=value, one per line, got '\(line)'")
            }
            headers.append(KafkaHeader(key: String(line[..<equals]).trimmingSpaces(), value: String(line[line.index(after: equals)...])))
        }
        value = Array((form["value"] ?? "").utf8)
        via = form["via"].flatMap { $0.isEmpty ? nil : $0 } ?? "kafka"
    }

    /// From the API's JSON: `{"topic", "partition"?, "key"?, "headers"?: {name: value}, "value", "via"?}`;
    /// a value that is not a string is sent as its JSON.
    init(json bytes: [UInt8]) throws(ConsoleError) {
        guard case .object(let object)? = try? JSONParser.parse(bytes) else { throw .badRequest("the body must be a JSON object") }
        guard case .string(let topic)? = object["topic"], !topic.isEmpty else { throw .badRequest("topic is required, a string") }
        self.topic = topic
        switch object["partition"] {
        case nil, .null?: partition = nil
        case .number(let number)?:
            guard let value = number.int64, let id = Int32(exactly: value), id >= 0 else { throw .badRequest("partition must be a partition number") }
            partition = id
        default: throw .badRequest("partition must be a partition number")
        }
        switch object["key"] {
        case nil, .null?: key = nil
        case .string(let text)?: key = text
        default: throw .badRequest("key must be a string")
        }
        headers = []
        switch object["headers"] {
        case nil, .null?: break
        case .object(let fields)?:
            for (name, value) in fields.entries {
                guard case .string(let text) = value else { throw .badRequest("header \(name) must be a string") }
                headers.append(KafkaHeader(key: name, value: text))
            }
        default: throw .badRequest("headers must be an object of strings")
        }
        switch object["value"] {
        case nil: throw .badRequest("value is required")
        case .string(let text)?: value = Array(text.utf8)
        case let other?: value = JSONWriter.serialize(other)
        }
        switch object["via"] {
        case nil: via = "kafka"
        case .string(let text)?: via = text
        default: throw .badRequest("via must be a string: kafka, gateway, order, click or impression")
        }
    }
}

/// What became of a produced record.
struct ProduceOutcome: Sendable {
    var stored: Bool
    /// The gateway's status when it was sent through the gateway: the API answers a refusal with it.
    var gatewayStatus: Int? = nil
    var json: JSONValue
    var summary: String
}

extension Console {
    /// Sends one record, straight or through the gateway.
    /// - Throws: `ConsoleError`: 404 for an unknown topic or partition, 400 for a gateway send to a
    ///   topic the gateway does not write, 503 when Kafka or the gateway did not answer.
    func produce(_ request: ProduceRequest) async throws(ConsoleError) -> ProduceOutcome {
        let (_, topic) = try await cluster.topic(request.topic)
        if let partition = request.partition, !topic.partitions.contains(where: { $0.id == partition }) {
            throw .notFound("topic '\(topic.name)' has no partition \(partition)")
        }
        if request.via != "kafka" {
            return try await produceThroughGateway(request, kind: try Self.gatewayKind(request.via, topic: request.topic))
        }
        do {
            let producer = try await self.producer.get()
            let report = try await producer.produce(
                topic: request.topic, partition: request.partition, key: request.key.map { Array($0.utf8) }, value: request.value,
                headers: request.headers
            )
            logger.info("Console: record produced", metadata: ["kafka.topic": .string(request.topic), "kafka.partition": "\(report.partition)", "kafka.offset": "\(report.offset)"])
            return ProduceOutcome(
                stored: true,
                json: ["via": "kafka", "topic": .string(request.topic), "partition": .number(JSONNumber(Int64(report.partition))), "offset": .number(JSONNumber(report.offset))],
                summary: "Stored at \(request.topic)[\(report.partition)]@\(report.offset)"
            )
        } catch {
            throw .unavailable("Kafka did not store the record: \(error.message)")
        }
    }

    /// The event kind whose gateway endpoint `via` names for `topic`.
    /// - Throws: `ConsoleError` 400 naming the choices.
    static func gatewayKind(_ via: String, topic: String) throws(ConsoleError) -> EventKind {
        let kinds = EventKind.allCases.filter { $0.topic == topic }
        guard !kinds.isEmpty else {
            throw .badRequest("the gateway does not write to \(topic); it writes \(Set(EventKind.allCases.map(\.topic)).sorted().joined(separator: " and "))")
        }
        if via == "gateway" {
            guard kinds.count == 1 else {
                throw .badRequest("\(topic) takes \(kinds.map(\.rawValue).joined(separator: " or ")) events: say which (via=\(kinds[0].rawValue))")
            }
            return kinds[0]
        }
        guard let kind = EventKind(rawValue: via) else {
            throw .badRequest("via must be kafka, gateway, order, click or impression, got '\(via)'")
        }
        guard kind.topic == topic else { throw .badRequest("\(kind.rawValue) events go to \(kind.topic), not \(topic)") }
        return kind
    }

    private func produceThroughGateway(_ request: ProduceRequest, kind: EventKind) async throws(ConsoleError) -> ProduceOutcome {
        let url = (configuration.gatewayURL ?? "http://localhost:8000") + kind.path
        do {
            var post = HTTPClientRequest(url: url)
            post.method = .POST
            post.headers.add(name: "Content-Type", value: "application/json")
            post.body = .bytes(ByteBuffer(bytes: request.value))
            let response = try await HTTPClient.shared.execute(post, timeout: .seconds(10))
            let body = Array(buffer: try await response.body.collect(upTo: 1 << 20))
            let answer = (try? JSONParser.parse(body)) ?? .string(String(decoding: body, as: UTF8.self))
            let stored = (200..<300).contains(Int(response.status.code))
            return ProduceOutcome(
                stored: stored, gatewayStatus: Int(response.status.code),
                json: ["via": "gateway", "url": .string(url), "status": .number(JSONNumber(Int64(response.status.code))), "answer": answer],
                summary: "The gateway answered \(response.status.code): \(String(decoding: JSONWriter.serialize(answer), as: UTF8.self))"
            )
        } catch {
            throw .unavailable("the gateway at \(url) did not answer: \(error)")
        }
    }
}
