import FlowGuardSupport

/// What every page needs besides its own content.
package struct PageContext: Sendable {
    /// The token every form that writes carries (CSRF).
    package var csrfToken: String
    package var readOnly: Bool
    package var bootstrap: String
    /// The sections with API keys configured show a sign-out link.
    package var signedIn: Bool
}

/// The frame of every page: navigation, the stale-metadata banner, the one CSS and one JS file.
package enum Layout {
    package enum Section: String, CaseIterable, Sendable {
        case overview = "Overview"
        case topics = "Topics"
        case groups = "Consumer groups"
        case attribution = "Attribution"
        case produce = "Produce"
        case api = "API"

        var path: String {
            switch self {
            case .overview: return "/"
            case .topics: return "/topics"
            case .groups: return "/groups"
            case .attribution: return "/attribution"
            case .produce: return "/produce"
            case .api: return "/api"
            }
        }
    }

    /// A whole page. `body` is HTML the caller built with `HTML.text` for every piece of data.
    package static func page(
        title: String, section: Section?, context: PageContext, snapshot: ClusterSnapshot? = nil, body: String
    ) -> String {
        var nav = ""
        for item in Section.allCases where !(item == .produce && context.readOnly) {
            let current = item == section ? " aria-current=\"page\"" : ""
            nav += "<a href=\"\(item.path)\"\(current)>\(HTML.text(item.rawValue))</a>"
        }
        var banner = ""
        if let snapshot {
            if let reason = snapshot.staleReason {
                banner = "<p class=\"banner stale\" role=\"alert\">\(HTML.text(reason)). Showing the metadata read \(snapshot.ageSeconds) s ago (\(HTML.text(RFC3339.format(millis: snapshot.fetchedAtMillis)))).</p>"
            } else {
                banner = "<p class=\"age\">Metadata read \(snapshot.ageSeconds) s ago.</p>"
            }
        }
        let readOnly = context.readOnly ? "<span class=\"badge\">read-only</span>" : ""
        let signOut = context.signedIn ? "<form method=\"post\" action=\"/logout\" class=\"inline\"><input type=\"hidden\" name=\"csrf\" value=\"\(HTML.text(context.csrfToken))\"><button>Sign out</button></form>" : ""
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.text(title)) · FlowGuard console</title>
            <link rel="stylesheet" href="/assets/console.css">
            <script src="/assets/console.js" defer></script>
            </head>
            <body>
            <header><strong>FlowGuard console</strong> <span class="cluster">\(HTML.text(context.bootstrap))</span> \(readOnly)<nav>\(nav)</nav>\(signOut)</header>
            <main>
            \(banner)
            <h1>\(HTML.text(title))</h1>
            \(body)
            </main>
            </body>
            </html>
            """
    }

    /// A table; `rows` are already-built cells. Column headers link to the server-side sort so that
    /// sorting works without JavaScript.
    package static func table(
        id: String, columns: [(label: String, sortKey: String?)], rows: [[String]], sortLink: ((String) -> String)? = nil
    ) -> String {
        var html = "<table id=\"\(HTML.text(id))\"><thead><tr>"
        for column in columns {
            if let key = column.sortKey, let sortLink {
                html += "<th><a href=\"\(HTML.text(sortLink(key)))\">\(HTML.text(column.label))</a></th>"
            } else {
                html += "<th>\(HTML.text(column.label))</th>"
            }
        }
        html += "</tr></thead><tbody>"
        for row in rows {
            html += "<tr>" + row.map { "<td>\($0)</td>" }.joined() + "</tr>"
        }
        html += "</tbody></table>"
        return html
    }

    /// The page for a `ConsoleError`.
    package static func errorPage(_ error: ConsoleError, context: PageContext) -> String {
        page(
            title: "\(error.status.code) \(error.status.reasonPhrase)", section: nil, context: context,
            body: "<p class=\"error\" role=\"alert\">\(HTML.text(error.message))</p><p><a href=\"/\">Back to the overview</a></p>"
        )
    }
}
