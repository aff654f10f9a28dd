import FlowGuardKafka
import FlowGuardSupport
import Hummingbird

extension Console {
    func addPages(to router: Router<BasicRequestContext>) {
        router.get("/") { request, _ in
            let model = try await models.overview(gateway: await gatewayHealth())
            return ConsoleResponse.html(OverviewPage.html(model, context: pageContext(request)))
        }
        router.get("/topics") { request, _ in
            let fields = try request.queryFields()
            let filter = fields["q"] ?? ""
            let includeInternal = fields["internal"] == "1"
            let sort = fields["sort"] ?? "name"
            let descending = fields["dir"] == "desc"
            let (snapshot, topics) = try await models.topics(includeInternal: includeInternal)
            let shown = TopicsPage.sort(topics.filter { filter.isEmpty || $0.name.lowercased().contains(filter.lowercased()) }, by: sort, descending: descending)
            return ConsoleResponse.html(
                TopicsPage.html(shown, snapshot: snapshot, filter: filter, includeInternal: includeInternal, sort: sort, descending: descending, context: pageContext(request))
            )
        }
        router.get("/topics/:topic") { request, context in
            let name = try context.parameters.require("topic")
            let detail = try await models.topic(name)
            let groups = try? await groups()
            return ConsoleResponse.html(TopicPage.html(detail, groups: groups, context: pageContext(request)))
        }
        router.get("/topics/:topic/messages") { request, context in
            let name = try context.parameters.require("topic")
            let query = try MessageQuery(parameters: try request.queryFields())
            let (snapshot, topic) = try await cluster.topic(name)
            let result = try await MessageBrowser.browse(query, topic: topic, cluster: cluster, scanLimit: configuration.scanLimit, logger: logger)
            return ConsoleResponse.html(
                MessagesPage.html(
                    topic: topic, query: query, result: result, scanLimit: configuration.scanLimit, liveCap: configuration.liveCap,
                    snapshot: snapshot, context: pageContext(request)
                )
            )
        }
        router.get("/topics/:topic/records/:partition/:offset") { request, context in
            let record = try await record(context)
            return ConsoleResponse.html(RecordPage.html(record, context: pageContext(request)))
        }
        router.get("/groups") { request, _ in
            let model = try await groups()
            let sortByLag = (try request.queryFields())["sort"] == "lag"
            return ConsoleResponse.html(GroupsPage.list(model, sortByLag: sortByLag, context: pageContext(request)))
        }
        router.get("/groups/:group") { request, context in
            let id = try context.parameters.require("group")
            let fields = try request.queryFields()
            let model = try await groups(including: id)
            guard let group = model.groups.first(where: { $0.id == id }) else { throw ConsoleError.notFound("no consumer group '\(id)'") }
            return ConsoleResponse.html(
                GroupsPage.detail(group, model: model, sortByLag: fields["sort"] == "lag", message: fields["done"], context: pageContext(request))
            )
        }
        router.post("/groups/:group/reset") { request, context in
            let id = try context.parameters.require("group")
            let fields = try await request.formFields()
            try checkWrite(request, formToken: fields["csrf"] ?? "")
            let (topic, partition, target) = try Self.resetRequest(fields)
            let offsets = try await resetOffsets(group: id, topic: topic, partition: partition, to: target)
            let done = "Reset \(id) on \(topic): " + offsets.keys.sorted().map { "[\($0)] → \(offsets[$0]!)" }.joined(separator: ", ")
            return ConsoleResponse.redirect("/groups/\(HTML.segment(id))?done=\(FormFields.encode(done))")
        }
        router.get("/attribution") { request, _ in
            let report = try await models.attribution(try AttributionQuery(parameters: try request.queryFields()), logger: logger)
            return ConsoleResponse.html(AttributionPage.html(report, context: pageContext(request)))
        }
        router.get("/produce") { request, _ in
            guard !configuration.readOnly else { throw ConsoleError.forbidden("the console is read-only (--read-only)") }
            let fields = try request.queryFields()
            return ConsoleResponse.html(try await producePage(selected: fields["topic"], message: nil, isError: false, request: request))
        }
        router.post("/produce") { request, _ in
            let fields = try await request.formFields()
            try checkWrite(request, formToken: fields["csrf"] ?? "")
            let selected = fields["topic"]
            do {
                let produce = try ProduceRequest(form: fields)
                let outcome = try await self.produce(produce)
                return ConsoleResponse.html(try await producePage(selected: selected, message: outcome.summary, isError: !outcome.stored, request: request))
            } catch let error as ConsoleError where error.status == .badRequest || error.status == .notFound {
                return ConsoleResponse.html(
                    try await producePage(selected: selected, message: error.message, isError: true, request: request), status: error.status
                )
            }
        }
        router.get("/login") { request, _ in
            let next = (try request.queryFields())["next"] ?? "/"
            return ConsoleResponse.html(LoginPage.html(next: next, failed: false, context: pageContext(request)))
        }
        router.post("/login") { request, _ in
            let fields = try await request.formFields()
            let next = fields["next"].flatMap { $0.hasPrefix("/") && !$0.hasPrefix("//") ? $0 : nil } ?? "/"
            guard let key = fields["key"], configuration.apiKeys.accepts(key) else {
                return ConsoleResponse.html(LoginPage.html(next: next, failed: true, context: pageContext(request)), status: .unauthorized)
            }
            var response = ConsoleResponse.redirect(next)
            response.headers[.setCookie] = "\(ConsoleSessions.cookieName)=\(sessions.create()); Path=/; HttpOnly; SameSite=Strict"
            return response
        }
        router.post("/logout") { request, _ in
            let fields = try await request.formFields()
            try checkWrite(request, formToken: fields["csrf"] ?? "")
            if let id = sessions.session(of: request) { sessions.remove(id) }
            var response = ConsoleResponse.redirect("/login")
            response.headers[.setCookie] = "\(ConsoleSessions.cookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
            return response
        }
    }

    private func producePage(selected: String?, message: String?, isError: Bool, request: Request) async throws -> String {
        let (_, topics) = try await models.topics(includeInternal: false)
        return ProducePage.html(
            topics: topics.map(\.name), selected: selected, message: message, isError: isError,
            context: pageContext(request)
        )
    }

    /// One record by topic, partition and offset (the record page, `/api/.../records/...`).
    func record(_ context: BasicRequestContext) async throws -> KafkaRecord {
        let name = try context.parameters.require("topic")
        guard let partition = context.parameters.get("partition", as: Int32.self), partition >= 0 else {
            throw ConsoleError.badRequest("partition must be a partition number, got '\(context.parameters.get("partition") ?? "")'")
        }
        guard let offset = context.parameters.get("offset", as: Int64.self), offset >= 0 else {
            throw ConsoleError.badRequest("offset must be a number from 0, got '\(context.parameters.get("offset") ?? "")'")
        }
        let (_, topic) = try await cluster.topic(name)
        var query = MessageQuery(partition: partition, start: .offset(offset), limit: 1)
        query.partition = partition
        let missing = ConsoleError.notFound("\(name)[\(partition)] has no record at offset \(offset)")
        // An offset out of the partition's range is, for one record, a record that is not there.
        if let marks = try await cluster.watermarks(of: topic)[partition], !(marks.low..<marks.high).contains(offset) { throw missing }
        let result = try await MessageBrowser.browse(query, topic: topic, cluster: cluster, scanLimit: 1, logger: logger)
        guard let record = result.records.first, record.offset == offset else { throw missing }
        return record
    }

    /// The topic, partitions and target of a reset form or API body.
    static func resetRequest(_ fields: FormFields) throws(ConsoleError) -> (String, Int32?, ResetTarget) {
        guard let topic = fields["topic"], !topic.isEmpty else { throw .badRequest("topic is required") }
        var partition: Int32?
        if let text = fields["partition"], !text.isEmpty, text != "all" {
            guard let value = Int32(text), value >= 0 else { throw .badRequest("partition must be a partition number or 'all', got '\(text)'") }
            partition = value
        }
        let value = fields["value"] ?? ""
        let target: ResetTarget
        switch fields["to"] ?? "" {
        case "earliest": target = .earliest
        case "latest": target = .latest
        case "offset":
            guard let offset = Int64(value), offset >= 0 else { throw .badRequest("to=offset needs value, an offset from 0, got '\(value)'") }
            target = .offset(offset)
        case "timestamp":
            if let millis = Int64(value) {
                target = .timestamp(millis)
            } else {
                do { target = .timestamp(try RFC3339.parse(value)) } catch {
                    throw .badRequest("to=timestamp needs value, RFC 3339 or ms since the epoch, got '\(value)'")
                }
            }
        case let other:
            throw .badRequest("to must be earliest, latest, timestamp or offset, got '\(other)'")
        }
        return (topic, partition, target)
    }
}
