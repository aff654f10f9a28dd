/// `/topics/{name}`: per partition its placement and offsets, the groups reading it.
enum TopicPage {
    static func html(_ detail: TopicDetail, groups: GroupsModel?, context: PageContext) -> String {
        let name = detail.summary.name
        let path = "/topics/\(HTML.segment(name))"
        let partitions = Layout.table(
            id: "partitions",
            columns: [("Partition", nil), ("Leader", nil), ("Replicas", nil), ("ISR", nil), ("Low", nil), ("High", nil), ("Messages", nil)],
            rows: detail.partitions.map { partition in
                [
                    HTML.link(path + "/messages", [("partition", "\(partition.id)")], "\(partition.id)"),
                    partition.leader < 0 ? "<span class=\"bad\">none</span>" : "\(partition.leader)",
                    partition.replicas.map(String.init).joined(separator: ", "),
                    partition.inSyncReplicas.map(String.init).joined(separator: ", "),
                    partition.watermarks.map { "\($0.low)" } ?? "?", partition.watermarks.map { "\($0.high)" } ?? "?",
                    partition.watermarks.map { "\($0.count)" } ?? "?",
                ]
            }
        )
        var body = "<p>\(detail.summary.partitions) partitions, replication \(detail.summary.replication), \(detail.summary.messages) messages. "
        body += HTML.link(path + "/messages", [], "Browse messages", className: "button")
        if !context.readOnly { body += " " + HTML.link("/produce", [("topic", name)], "Produce a record", className: "button") }
        body += "</p>" + partitions
        body += "<h2>Consumer groups</h2>"
        if let groups {
            let rows = groups.groups.flatMap { group in
                group.partitions.filter { $0.topic == name }.map { offsets in
                    [
                        HTML.link("/groups/\(HTML.segment(group.id))", [], group.id), "\(offsets.partition)",
                        offsets.committed.map { "\($0)" } ?? "-", "\(offsets.end)", offsets.lag.map { "\($0)" } ?? "-",
                    ]
                }
            }
            body += rows.isEmpty
                ? "<p>No known group has committed offsets for this topic.</p>"
                : Layout.table(id: "topic-groups", columns: [("Group", nil), ("Partition", nil), ("Committed", nil), ("End", nil), ("Lag", nil)], rows: rows)
            if let note = groups.partialReason { body += "<p class=\"muted\">\(HTML.text(note))</p>" }
        }
        return Layout.page(title: "Topic \(name)", section: .topics, context: context, snapshot: detail.snapshot, body: body)
    }
}
