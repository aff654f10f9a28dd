import FlowGuardKafka
import FlowGuardSupport

/// `/topics/{name}/messages`: the message browser, with its search form, paging, export and live mode.
enum MessagesPage {
    static func html(
        topic: ClusterMetadata.Topic, query: MessageQuery, result: BrowseResult, scanLimit: Int, liveCap: Int,
        snapshot: ClusterSnapshot, context: PageContext
    ) -> String {
        let path = "/topics/\(HTML.segment(topic.name))"
        var body = form(topic: topic, query: query, path: path)
        // Summary line: what was read, and whether a filter scan stopped early.
        var summary = "\(result.records.count) record\(result.records.count == 1 ? "" : "s")"
        if query.hasFilters {
            summary += " matching, \(result.scanned) scanned"
            if result.scanLimitReached { summary += "; the scan stopped at the scan limit of \(scanLimit) records" }
        }
        if !result.complete { summary += "; Kafka did not deliver everything in time, so this page may be missing records" }
        body += "<p id=\"summary\" class=\"\(result.scanLimitReached || !result.complete ? "bad" : "muted")\">\(HTML.text(summary)).</p>"
        body += "<p class=\"actions\">"
        body += HTML.link("/api\(path)/messages.ndjson", query.parameters, "Export NDJSON", className: "button")
        body += " " + paging(result, path: path)
        body += " <button type=\"button\" id=\"live-toggle\" class=\"js-only\" data-stream=\"\(HTML.text("/api\(path)/live?" + FormFields.query([("partition", query.partition.map { String($0) } ?? "all")])))\" data-cap=\"\(liveCap)\">Live</button>"
        body += " <button type=\"button\" id=\"live-pause\" class=\"js-only\" hidden>Pause</button> <span id=\"live-status\" class=\"muted\"></span>"
        body += "</p>"
        body += Layout.table(
            id: "records", columns: [("Partition", nil), ("Offset", nil), ("Timestamp", nil), ("Key", nil), ("Headers", nil), ("Value", nil)],
            rows: result.records.map { RecordRendering.row($0, topicPath: path) }
        )
        return Layout.page(title: "Messages of \(topic.name)", section: .topics, context: context, snapshot: snapshot, body: body)
    }

    private static func form(topic: ClusterMetadata.Topic, query: MessageQuery, path: String) -> String {
        var partitions = "<option value=\"all\">all</option>"
        for id in topic.partitions.map(\.id).sorted() {
            partitions += "<option value=\"\(id)\"\(query.partition == id ? " selected" : "")>\(id)</option>"
        }
        var from = "newest"
        var offset = ""
        var timestamp = ""
        switch query.start {
        case .newest: break
        case .oldest: from = "oldest"
        case .offset(let value): from = "offset"; offset = String(value)
        case .timestamp(let millis): from = "timestamp"; timestamp = RFC3339.format(millis: millis)
        // A page reached by paging: the form starts a new search, from the newest by default.
        case .before, .after: break
        }
        var starts = ""
        for (value, label) in [("newest", "newest"), ("oldest", "oldest"), ("offset", "offset"), ("timestamp", "timestamp")] {
            starts += "<option value=\"\(value)\"\(from == value ? " selected" : "")>\(label)</option>"
        }
        let header = query.header.map { "\($0.name)=\($0.value)" } ?? ""
        let field = query.fields.map { "\($0.0)=\($0.1)" }.first ?? ""
        return """
            <form method="get" action="\(HTML.text(path))/messages" class="filters" id="search">
            <label>Partition <select name="partition">\(partitions)</select></label>
            <label>From <select name="from">\(starts)</select></label>
            <label>Offset <input name="offset" inputmode="numeric" size="8" value="\(HTML.text(offset))"></label>
            <label>Timestamp <input name="timestamp" size="24" placeholder="2026-01-02T03:04:05Z" value="\(HTML.text(timestamp))"></label>
            <label>Limit <input name="limit" inputmode="numeric" size="5" value="\(query.limit)"></label>
            <label>Key equals <input name="key" value="\(HTML.text(query.key ?? ""))"></label>
            <label>Header equals <input name="header" placeholder="name=value" value="\(HTML.text(header))"></label>
            <label>JSON field equals <input name="field" placeholder="field=value" value="\(HTML.text(field))"></label>
            <label>Value contains <input name="contains" value="\(HTML.text(query.contains ?? ""))"></label>
            <button>Search</button>
            </form>
            """
    }

    /// Links to the older and newer pages, of one partition or of all (``BrowseResult/older``).
    private static func paging(_ result: BrowseResult, path: String) -> String {
        var links: [String] = []
        if let older = result.older { links.append(HTML.link(path + "/messages", older.parameters, "← Older", className: "button")) }
        if let newer = result.newer { links.append(HTML.link(path + "/messages", newer.parameters, "Newer →", className: "button")) }
        return links.joined(separator: " ")
    }
}

/// `/topics/{name}/records/{partition}/{offset}`: one record, nothing cut.
enum RecordPage {
    static func html(_ record: KafkaRecord, context: PageContext) -> String {
        let path = "/topics/\(HTML.segment(record.topic))"
        var body = "<dl class=\"record\">"
        body += "<dt>Topic</dt><dd>\(HTML.link(path, [], record.topic))</dd>"
        body += "<dt>Partition</dt><dd>\(record.partition)</dd><dt>Offset</dt><dd>\(record.offset)</dd>"
        body += "<dt>Timestamp</dt><dd>\(HTML.text(record.timestampMillis.map { RFC3339.format(millis: $0) } ?? "-"))</dd>"
        body += "<dt>Key</dt><dd>\(RecordRendering.html(record.key, limit: nil, fullLink: nil))</dd>"
        body += "<dt>Headers</dt><dd>"
        for header in record.headers {
            body += "<div><code>\(HTML.text(header.key))</code>: \(RecordRendering.html(header.value, limit: nil, fullLink: nil))</div>"
        }
        body += "</dd><dt>Value</dt><dd>\(RecordRendering.html(record.value, limit: nil, fullLink: nil))</dd></dl>"
        return Layout.page(title: "\(record.topic)[\(record.partition)]@\(record.offset)", section: .topics, context: context, body: body)
    }
}
