/// `/`: brokers, counts, the gateway's health.
enum OverviewPage {
    static func html(_ model: OverviewModel, context: PageContext) -> String {
        let brokers = Layout.table(
            id: "brokers", columns: [("Broker", nil), ("Address", nil), ("State", nil)],
            rows: model.brokers.map {
                ["\($0.id)", HTML.text($0.address), $0.reachable ? "<span class=\"ok\">reachable</span>" : "<span class=\"bad\">unreachable</span>"]
            }
        )
        let figures: [(String, String, Bool)] = [
            ("Brokers", "\(model.brokers.filter(\.reachable).count) of \(model.brokers.count) reachable", model.brokers.contains { !$0.reachable }),
            ("Topics", "\(model.topics)", false),
            ("Partitions", "\(model.partitions)", false),
            ("Messages", "\(model.messages)", false),
            ("Under-replicated partitions", "\(model.underReplicated)", model.underReplicated > 0),
            ("Leaderless partitions", "\(model.leaderless)", model.leaderless > 0),
        ]
        var summary = "<dl class=\"figures\" id=\"figures\">"
        for (label, value, bad) in figures {
            summary += "<div\(bad ? " class=\"bad\"" : "")><dt>\(HTML.text(label))</dt><dd>\(HTML.text(value))</dd></div>"
        }
        summary += "</dl>"
        var gateway = "<h2>Gateway</h2>"
        if let health = model.gateway {
            let state = health.status.map { "HTTP \($0)" } ?? "no answer"
            gateway += "<p>\(HTML.link(health.url + "/health", [], health.url + "/health")): <strong>\(HTML.text(state))</strong></p><pre class=\"text\">\(HTML.text(health.detail))</pre>"
        } else {
            gateway += "<p>No gateway given (<code>--gateway URL</code>) and none answers on localhost:8000.</p>"
        }
        return Layout.page(
            title: "Overview", section: .overview, context: context, snapshot: model.snapshot,
            body: summary + "<h2>Brokers</h2>" + brokers + gateway
        )
    }
}
