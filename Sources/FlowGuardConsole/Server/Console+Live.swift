import FlowGuardEvents
import FlowGuardJSON
import FlowGuardKafka
import Logging
import Hummingbird
import NIOCore
import ServiceLifecycle

extension Console {
    /// `GET /api/topics/{topic}/live?partition=P|all`: server-sent events, one `data:` line per new
    /// record in `flowguard tail --format json`'s form. Reading starts at each partition's high
    /// watermark as read before the answer starts, so a record written after the `ready` event is
    /// never missed. The stream ends when the client goes away or the console shuts down.
    func liveStream(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let name = try context.parameters.require("topic")
        let fields = try request.queryFields()
        var query = MessageQuery()
        if let text = fields["partition"], !text.isEmpty, text != "all" {
            guard let value = Int32(text), value >= 0 else { throw ConsoleError.badRequest("partition must be a partition number or 'all', got '\(text)'") }
            query.partition = value
        }
        let (_, topic) = try await cluster.topic(name)
        if let partition = query.partition, !topic.partitions.contains(where: { $0.id == partition }) {
            throw ConsoleError.notFound("topic '\(name)' has no partition \(partition)")
        }
        let marks = try await cluster.watermarks(of: topic)
        let assignments = marks.keys.sorted().filter { query.partition == nil || query.partition == $0 }.map {
            KafkaConsumer.Assignment(topic: name, partition: $0, offset: .exactly(marks[$0]!.high))
        }
        let consumer: KafkaConsumer
        do {
            consumer = try KafkaConsumer(configuration: cluster.configuration, logger: logger)
            try consumer.assign(assignments)
        } catch {
            throw ConsoleError.unavailable("cannot read \(name): \(error.message)")
        }
        let logger = self.logger
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
            body: ResponseBody { writer in
                defer { Task { await consumer.close() } }
                try await Self.stream(consumer, logger: logger, to: &writer)
                try await writer.finish(nil)
            }
        )
    }

    /// Writes `event: ready`, then each record as it arrives, until the client goes away (a write
    /// throws) or the console shuts down.
    private static func stream(_ consumer: KafkaConsumer, logger: Logger, to writer: inout any ResponseBodyWriter) async throws {
        try await writer.write(ByteBuffer(string: "event: ready\ndata: {}\n\n"))
        var quiet = ContinuousClock.now
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let records: [KafkaRecord]
            do {
                records = try await consumer.pollBatch(max: 500, timeout: .milliseconds(250))
            } catch {
                logger.debug("Console: live read error", metadata: ["error.message": .string(error.message)])
                continue
            }
            if records.isEmpty {
                // A comment now and then finds a client that went away, and keeps proxies from timing out.
                if ContinuousClock.now - quiet > .seconds(10) {
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    quiet = .now
                }
                continue
            }
            var bytes: [UInt8] = []
            for record in records {
                bytes += Array("data: ".utf8)
                JSONWriter.append(.object(record.jsonObject), to: &bytes)
                bytes += [0x0A, 0x0A]
            }
            try await writer.write(ByteBuffer(bytes: bytes))
            quiet = .now
        }
    }
}
