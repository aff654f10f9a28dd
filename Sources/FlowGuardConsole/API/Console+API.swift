import FlowGuardEvents
import FlowGuardJSON
import FlowGuardKafka
import Hummingbird
import NIOCore

extension Console {
    func addAPI(to router: Router<BasicRequestContext>) {
        router.get("/api") { _, _ in ConsoleResponse.redirect("/api/openapi.json") }
        router.get("/api/openapi.json") { _, _ in ConsoleResponse.json(.ok, ConsoleOpenAPI.document) }
        router.get("/api/session") { _, _ in
            ConsoleResponse.json(.ok, ["csrf_token": .string(csrfToken), "read_only": .bool(configuration.readOnly)])
        }
        router.get("/api/overview") { _, _ in
            ConsoleResponse.json(.ok, try await models.overview(gateway: await gatewayHealth()).json)
        }
        router.get("/api/topics") { request, _ in
            let fields = try request.queryFields()
            let filter = fields["q"] ?? ""
            let (snapshot, topics) = try await models.topics(includeInternal: fields["internal"] == "1")
            let shown = TopicsPage.sort(
                topics.filter { filter.isEmpty || $0.name.lowercased().contains(filter.lowercased()) }, by: fields["sort"] ?? "name",
                descending: fields["dir"] == "desc"
            )
            return ConsoleResponse.json(.ok, ["topics": .array(shown.map(\.json)), "metadata": snapshot.json])
        }
        router.get("/api/topics/:topic") { _, context in
            let detail = try await models.topic(try context.parameters.require("topic"))
            guard case .object(var object) = detail.json else { return ConsoleResponse.json(.ok, detail.json) }
            if let groups = try? await groups() {
                object.entries.append((key: "groups", value: groups.json(topic: detail.summary.name)))
            }
            return ConsoleResponse.json(.ok, .object(object))
        }
        router.get("/api/topics/:topic/messages") { request, context in
            let (query, topic, result) = try await browse(request, context)
            return ConsoleResponse.json(.ok, result.json(topic: topic.name, query: query, scanLimit: configuration.scanLimit))
        }
        router.get("/api/topics/:topic/messages.ndjson") { request, context in
            let (_, topic, result) = try await browse(request, context)
            var bytes: [UInt8] = []
            for record in result.records {
                JSONWriter.append(.object(record.jsonObject), to: &bytes)
                bytes.append(UInt8(ascii: "\n"))
            }
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/x-ndjson",
                    .contentDisposition: "attachment; filename=\"\(topic.name).ndjson\"",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes))
            )
        }
        router.get("/api/topics/:topic/records/:partition/:offset") { _, context in
            ConsoleResponse.json(.ok, .object(try await record(context).jsonObject))
        }
        router.get("/api/topics/:topic/live") { request, context in
            try await liveStream(request, context)
        }
        router.get("/api/groups") { _, _ in
            ConsoleResponse.json(.ok, try await groups().json(topic: nil))
        }
        router.get("/api/groups/:group") { _, context in
            let id = try context.parameters.require("group")
            let model = try await groups(including: id)
            guard let group = model.groups.first(where: { $0.id == id }) else { throw ConsoleError.notFound("no consumer group '\(id)'") }
            return ConsoleResponse.json(.ok, GroupsModel.json(group))
        }
        router.post("/api/groups/:group/reset") { request, context in
            let id = try context.parameters.require("group")
            try checkWrite(request, formToken: nil)
            let body = Array(buffer: try await request.body.collect(upTo: 1 << 20))
            guard case .object(let object)? = try? JSONParser.parse(body) else { throw ConsoleError.badRequest("the body must be a JSON object") }
            let fields = FormFields(object.entries.map { (name: $0.key, value: KafkaRecord.scalarText($0.value)) })
            let (topic, partition, target) = try Self.resetRequest(fields)
            let offsets = try await resetOffsets(group: id, topic: topic, partition: partition, to: target)
            return ConsoleResponse.json(
                .ok,
                [
                    "group": .string(id), "topic": .string(topic),
                    "offsets": .array(offsets.keys.sorted().map { ["partition": .number(JSONNumber(Int64($0))), "offset": .number(JSONNumber(offsets[$0]!))] }),
                ]
            )
        }
        router.get("/api/attribution") { request, _ in
            let report = try await models.attribution(try AttributionQuery(parameters: try request.queryFields()), logger: logger)
            return ConsoleResponse.json(.ok, report.json)
        }
        router.post("/api/produce") { request, _ in
            try checkWrite(request, formToken: nil)
            let body = Array(buffer: try await request.body.collect(upTo: 2 << 20))
            let outcome = try await produce(try ProduceRequest(json: body))
            // A refusal through the gateway keeps the gateway's own status (422 for an invalid event).
            let status: HTTPResponse.Status = outcome.stored ? .ok : outcome.gatewayStatus.map { HTTPResponse.Status(code: $0) } ?? .badGateway
            return ConsoleResponse.json(status, outcome.json)
        }
    }

    private func browse(_ request: Request, _ context: BasicRequestContext) async throws -> (MessageQuery, ClusterMetadata.Topic, BrowseResult) {
        let name = try context.parameters.require("topic")
        let query = try MessageQuery(parameters: try request.queryFields())
        let (_, topic) = try await cluster.topic(name)
        let result = try await MessageBrowser.browse(query, topic: topic, cluster: cluster, scanLimit: configuration.scanLimit, logger: logger)
        return (query, topic, result)
    }
}

extension GroupsModel {
    static func json(_ group: Group) -> JSONValue {
        [
            "id": .string(group.id),
            "state": group.state.map(JSONValue.string) ?? .null,
            "members": group.members.map { members in
                .array(members.map { ["id": .string($0.id), "client_id": .string($0.clientID), "host": .string($0.host), "assignment": .array($0.assignment.map(JSONValue.string))] })
            } ?? .null,
            "total_lag": .number(JSONNumber(group.totalLag)),
            "partitions": .array(group.partitions.map { offsets in
                [
                    "topic": .string(offsets.topic), "partition": .number(JSONNumber(Int64(offsets.partition))),
                    "committed": offsets.committed.map { .number(JSONNumber($0)) } ?? .null,
                    "end": .number(JSONNumber(offsets.end)), "lag": offsets.lag.map { .number(JSONNumber($0)) } ?? .null,
                ]
            }),
        ]
    }

    /// `{"groups": [...], "partial_reason"}`; with `topic`, only that topic's partitions of each group.
    func json(topic: String?) -> JSONValue {
        let shown = groups.map { group -> Group in
            var group = group
            if let topic { group.partitions = group.partitions.filter { $0.topic == topic } }
            return group
        }.filter { topic == nil || !$0.partitions.filter { $0.committed != nil }.isEmpty }
        return ["groups": .array(shown.map(Self.json)), "partial_reason": partialReason.map(JSONValue.string) ?? .null, "metadata": snapshot.json]
    }
}
