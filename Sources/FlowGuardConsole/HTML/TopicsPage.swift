/// `/topics`: every topic, filterable and sortable.
enum TopicsPage {
    static let columns: [(label: String, sortKey: String?)] = [
        ("Topic", "name"), ("Partitions", "partitions"), ("Replication", "replication"), ("Under-replicated", "under_replicated"),
        ("Low", "low"), ("High", "high"), ("Messages", "messages"), ("Drift against topics.yaml", nil),
    ]

    /// Sorts by a column key of `columns`; unknown keys sort by name.
    static func sort(_ topics: [TopicSummary], by key: String, descending: Bool) -> [TopicSummary] {
        let sorted = topics.sorted { a, b in
            switch key {
            case "partitions": return (a.partitions, a.name) < (b.partitions, b.name)
            case "replication": return (a.replication, a.name) < (b.replication, b.name)
            case "under_replicated": return (a.underReplicated, a.name) < (b.underReplicated, b.name)
            case "low": return (a.low, a.name) < (b.low, b.name)
            case "high": return (a.high, a.name) < (b.high, b.name)
            case "messages": return (a.messages, a.name) < (b.messages, b.name)
            default: return a.name < b.name
            }
        }
        return descending ? sorted.reversed() : sorted
    }

    static func html(
        _ topics: [TopicSummary], snapshot: ClusterSnapshot, filter: String, includeInternal: Bool, sort: String, descending: Bool,
        context: PageContext
    ) -> String {
        let base: [(String, String)] = [("q", filter)] + (includeInternal ? [("internal", "1")] : [])
        let rows = topics.map { topic -> [String] in
            let drift: String
            switch topic.drift {
            case nil: drift = "<span class=\"muted\">not in topics.yaml</span>"
            case let differences? where differences.isEmpty: drift = "<span class=\"ok\">none</span>"
            case let differences?: drift = "<span class=\"bad\">\(HTML.text(differences.joined(separator: "; ")))</span>"
            }
            return [
                HTML.link("/topics/\(HTML.segment(topic.name))", [], topic.name),
                "\(topic.partitions)", "\(topic.replication)",
                topic.underReplicated > 0 ? "<span class=\"bad\">\(topic.underReplicated)</span>" : "0",
                "\(topic.low)", "\(topic.high)", "\(topic.messages)" + (topic.incomplete ? " <span class=\"badge\">incomplete</span>" : ""),
                drift,
            ]
        }
        let form = """
            <form method="get" action="/topics" class="filters">
            <label>Name contains <input name="q" value="\(HTML.text(filter))"></label>
            <label><input type="checkbox" name="internal" value="1"\(includeInternal ? " checked" : "")> internal topics</label>
            <input type="hidden" name="sort" value="\(HTML.text(sort))"><input type="hidden" name="dir" value="\(descending ? "desc" : "asc")">
            <button>Filter</button>
            </form>
            """
        let table = Layout.table(id: "topics", columns: columns, rows: rows) { key in
            let direction = key == sort && !descending ? "desc" : "asc"
            return "/topics?" + FormFields.query(base + [("sort", key), ("dir", direction)])
        }
        let note = "<p class=\"muted\">Retention is not compared with topics.yaml: the console does not read topic configs. Low and high are the sums of the partitions' watermarks.</p>"
        return Layout.page(title: "Topics", section: .topics, context: context, snapshot: snapshot, body: form + table + note)
    }
}
