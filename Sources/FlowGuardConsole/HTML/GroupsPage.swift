import FlowGuardEvents
import FlowGuardSupport

/// `/groups` and `/groups/{id}`: consumer groups with lag; the reset form.
enum GroupsPage {
    static func list(_ model: GroupsModel, sortByLag: Bool, context: PageContext) -> String {
        let groups = sortByLag ? model.groups.sorted { ($0.totalLag, $0.id) > ($1.totalLag, $1.id) } : model.groups.sorted { $0.id < $1.id }
        let rows = groups.map { group in
            [
                HTML.link("/groups/\(HTML.segment(group.id))", [], group.id),
                HTML.text(group.state ?? "unknown"),
                group.members.map { "\($0.count)" } ?? "unknown",
                "\(Set(group.partitions.filter { $0.committed != nil }.map(\.topic)).count)",
                "\(group.totalLag)",
            ]
        }
        var body = ""
        if let reason = model.partialReason { body += "<p class=\"banner\" id=\"partial\">\(HTML.text(reason))</p>" }
        body += rows.isEmpty
            ? "<p>No consumer group to show.</p>"
            : Layout.table(
                id: "groups", columns: [("Group", "id"), ("State", nil), ("Members", nil), ("Topics", nil), ("Total lag", "lag")], rows: rows
            ) { key in "/groups?sort=\(key)" }
        return Layout.page(title: "Consumer groups", section: .groups, context: context, snapshot: model.snapshot, body: body)
    }

    static func detail(_ group: GroupsModel.Group, model: GroupsModel, sortByLag: Bool, message: String?, context: PageContext) -> String {
        var body = ""
        if let message { body += "<p class=\"banner\" role=\"status\">\(HTML.text(message))</p>" }
        body += "<p>State: <strong>\(HTML.text(group.state ?? "unknown"))</strong>. Total lag: <strong id=\"total-lag\">\(group.totalLag)</strong>.</p>"
        if let members = group.members {
            body += "<h2>Members</h2>"
            body += members.isEmpty
                ? "<p>No members.</p>"
                : Layout.table(
                    id: "members", columns: [("Member", nil), ("Client", nil), ("Host", nil), ("Assignment", nil)],
                    rows: members.map { [HTML.text($0.id), HTML.text($0.clientID), HTML.text($0.host), HTML.text($0.assignment.joined(separator: ", "))] }
                )
        } else if let reason = model.partialReason {
            body += "<p class=\"muted\">\(HTML.text(reason))</p>"
        }
        let partitions = sortByLag
            ? group.partitions.sorted { ($0.lag ?? -1, $0.topic, $0.partition) > ($1.lag ?? -1, $1.topic, $1.partition) }
            : group.partitions.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
        body += "<h2>Offsets</h2>"
        body += Layout.table(
            id: "offsets", columns: [("Topic", nil), ("Partition", nil), ("Committed", nil), ("End", nil), ("Lag", "lag")],
            rows: partitions.map {
                [HTML.link("/topics/\(HTML.segment($0.topic))", [], $0.topic), "\($0.partition)", $0.committed.map { "\($0)" } ?? "-", "\($0.end)", $0.lag.map { "\($0)" } ?? "-"]
            }
        ) { key in "/groups/\(HTML.segment(group.id))?sort=\(key)" }
        if !context.readOnly {
            let topics = Array(Set(group.partitions.map(\.topic))).sorted()
            body += """
                <h2>Reset offsets</h2>
                <p class="muted">Only while the group has no members: a running consumer would overwrite the offsets.</p>
                <form method="post" action="/groups/\(HTML.text(HTML.segment(group.id)))/reset" class="filters" id="reset">
                <input type="hidden" name="csrf" value="\(HTML.text(context.csrfToken))">
                <label>Topic <select name="topic">\(topics.map { "<option>\(HTML.text($0))</option>" }.joined())</select></label>
                <label>To <select name="to"><option>earliest</option><option>latest</option><option>timestamp</option><option>offset</option></select></label>
                <label>Value <input name="value" placeholder="offset or RFC 3339 time"></label>
                <label>Partition <input name="partition" placeholder="all" size="5"></label>
                <button>Reset</button>
                </form>
                """
        }
        return Layout.page(title: "Group \(group.id)", section: .groups, context: context, snapshot: model.snapshot, body: body)
    }
}

/// `/produce`: the form that sends one record, raw or through the gateway.
enum ProducePage {
    static func html(topics: [String], selected: String?, message: String?, isError: Bool, context: PageContext) -> String {
        var body = ""
        if let message { body += "<p class=\"banner\(isError ? " stale" : "")\" role=\"status\" id=\"produce-result\">\(HTML.text(message))</p>" }
        let options = topics.map { "<option\($0 == selected ? " selected" : "")>\(HTML.text($0))</option>" }.joined()
        var gateway = ""
        for kind in EventKind.allCases {
            gateway += "<label><input type=\"radio\" name=\"via\" value=\"\(kind.rawValue)\"> through the gateway as \(kind.rawValue == "impression" ? "an" : "a") \(kind.rawValue) (\(HTML.text(kind.path)), to \(HTML.text(kind.topic)); validated and answered as any client's event)</label>"
        }
        body += """
            <form method="post" action="/produce" class="stacked" id="produce">
            <input type="hidden" name="csrf" value="\(HTML.text(context.csrfToken))">
            <label>Topic <select name="topic">\(options)</select></label>
            <label>Partition <input name="partition" placeholder="chosen by key" size="6"></label>
            <label>Key <input name="key"></label>
            <label>Headers <textarea name="headers" rows="2" placeholder="name=value, one per line"></textarea></label>
            <label>Value <textarea name="value" rows="8"></textarea></label>
            <label><input type="radio" name="via" value="kafka" checked> straight to Kafka</label>
            \(gateway)
            <button>Send</button>
            </form>
            """
        return Layout.page(title: "Produce", section: .produce, context: context, body: body)
    }
}
