import FlowGuardAttribution
import FlowGuardEvents
import FlowGuardSupport
import FoundationEssentials

/// `/attribution`: what `flowguard attribute` credited in a time range: totals, by model, by ad.
enum AttributionPage {
    static func html(_ report: AttributionReport, context: PageContext) -> String {
        var body = form(report.query)
        let topicLink = HTML.link("/topics/\(HTML.segment(report.topic))/messages", [], report.topic)
        guard report.topicExists, report.topicRecords > 0 else {
            let state = report.topicExists
                ? "The topic \(topicLink) is empty."
                : "The topic <code>\(HTML.text(report.topic))</code> does not exist at \(HTML.text(context.bootstrap)) (<code>flowguard init-topics</code> creates it)."
            body += "<p class=\"banner\" id=\"empty\">\(state) <code>flowguard attribute</code> writes it: one record per order of \(HTML.text(EventKind.order.topic)), credited to the user's last click or impression before it. This page adds those records up.</p>"
            return page(report, context: context, body: body)
        }
        body += summary(report, topicLink: topicLink)
        let all = report.all
        guard all.orders > 0 || report.unreadable > 0 else {
            body += "<p class=\"banner\" id=\"empty\">No attributed order in the last \(HTML.text(report.query.since)); \(topicLink) holds \(report.topicRecords) record\(report.topicRecords == 1 ? "" : "s") in all. Choose a longer range, or check that <code>flowguard attribute</code> runs.</p>"
            return page(report, context: context, body: body)
        }
        let attributed = report.attributed
        let figures: [(String, String, Bool)] = [
            ("Orders", "\(all.orders)", false),
            ("Attributed orders", "\(attributed.orders)" + (all.orders > 0 ? " (\(attributed.orders * 100 / all.orders) %)" : ""), false),
            ("Revenue credited", money(attributed.revenue), false),
            ("Revenue of all orders", money(all.revenue), false),
            ("Credited ads", "\(report.adCount)", false),
            ("Unreadable records", "\(report.unreadable)", report.unreadable > 0),
        ]
        body += "<dl class=\"figures\" id=\"totals\">"
        for (label, value, bad) in figures {
            body += "<div\(bad ? " class=\"bad\"" : "")><dt>\(HTML.text(label))</dt><dd>\(HTML.text(value))</dd></div>"
        }
        body += "</dl>"

        body += "<h2>By model</h2>"
        body += Layout.table(
            id: "models", columns: [("Model", nil), ("Orders", nil), ("Revenue", nil)],
            rows: Attribution.Model.allCases.map { model in
                let figures = report.byModel[model] ?? .init()
                return [Self.describe(model), "\(figures.orders)", HTML.text(money(figures.revenue))]
            }
        )

        body += "<h2>By ad</h2>"
        if report.ads.isEmpty {
            body += "<p class=\"muted\">No order in this range was credited to an ad.</p>"
        } else {
            var rows = report.ads.map { ad in [HTML.text(ad.id), HTML.text(ad.type)] + cells(ad.conversions) }
            if let others = report.otherAds {
                rows.append(["<em>\(HTML.text("\(others.ads) other ad\(others.ads == 1 ? "" : "s")"))</em>", ""] + cells(others.conversions))
            }
            body += Layout.table(
                id: "ads",
                columns: [("Ad", nil), ("Ad type", nil), ("Conversions", nil), ("Of which view-through", nil), ("Revenue", nil), ("Median time to convert", nil)],
                rows: rows
            )
            body += "<p class=\"muted\">By revenue credited; the first \(report.query.top) one by one\(report.otherAds == nil ? "" : ", the others summed in the last row"). The time to convert runs from the credited click or impression to the order.</p>"
        }
        return page(report, context: context, body: body)
    }

    private static func page(_ report: AttributionReport, context: PageContext, body: String) -> String {
        Layout.page(title: "Attribution", section: .attribution, context: context, snapshot: report.snapshot, body: body)
    }

    private static func form(_ query: AttributionQuery) -> String {
        var ranges = AttributionQuery.offeredRanges
        if !ranges.contains(query.since) { ranges.append(query.since) }
        let options = ranges.map { "<option value=\"\(HTML.text($0))\"\($0 == query.since ? " selected" : "")>last \(HTML.text($0))</option>" }.joined()
        return """
            <form method="get" action="/attribution" class="filters" id="range">
            <label>Time range <select name="since">\(options)</select></label>
            <label>Ads listed <input name="top" inputmode="numeric" size="5" value="\(query.top)"></label>
            <button>Show</button>
            </form>
            """
    }

    /// What was read, and whatever may make the figures short of the range.
    private static func summary(_ report: AttributionReport, topicLink: String) -> String {
        var text = "Records of \(topicLink) written from \(HTML.text(RFC3339.format(millis: report.fromMillis))) to \(HTML.text(RFC3339.format(millis: report.toMillis))): \(report.scanned) read"
        var warnings: [String] = []
        if report.scanLimitReached {
            let covered = report.coveredFromMillis.map { ", so the figures cover only from \(HTML.text(RFC3339.format(millis: $0)))" } ?? ""
            warnings.append("the range holds \(report.rangeRecords) records, more than the scan limit of \(report.scanLimit) (--attribution-scan-limit): only the newest of each partition were read\(covered)")
        }
        if !report.complete { warnings.append("Kafka did not deliver everything in time, so these figures may be missing records") }
        if report.unreadable > 0 { warnings.append("\(report.unreadable) record\(report.unreadable == 1 ? " is" : "s are") not an attributed order and \(report.unreadable == 1 ? "was" : "were") skipped (unreadable)") }
        if report.duplicates > 0 { warnings.append("\(report.duplicates) record\(report.duplicates == 1 ? "" : "s") repeated an order already counted and \(report.duplicates == 1 ? "was" : "were") skipped") }
        text += warnings.isEmpty ? "." : "; " + warnings.joined(separator: "; ") + "."
        return "<p id=\"summary\" class=\"\(report.scanLimitReached || !report.complete || report.unreadable > 0 ? "bad" : "muted")\">\(text)</p>"
    }

    private static func cells(_ conversions: AttributionReport.Conversions) -> [String] {
        [
            "\(conversions.conversions)", "\(conversions.viewThrough)", HTML.text(money(conversions.revenue)),
            HTML.text(conversions.medianTimeToConvertMillis.map(duration) ?? "-"),
        ]
    }

    private static func describe(_ model: Attribution.Model) -> String {
        switch model {
        case .lastClick: return "<code>last_click</code>: the user's last click before the order"
        case .viewThrough: return "<code>view_through</code>: no click, the user's last impression"
        case .none: return "<code>none</code>: neither within the windows"
        }
    }

    /// A revenue with two decimals (the API gives it digit for digit).
    static func money(_ value: Decimal) -> String {
        guard let double = Double(value.description), abs(double) < 9e13 else { return value.description }
        let cents = Int64((double * 100).rounded())
        let whole = abs(cents) / 100
        let fraction = abs(cents) % 100
        return (cents < 0 ? "-" : "") + "\(whole)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }

    /// Milliseconds in the largest units that read well: `850 ms`, `12.5 s`, `4 min 05 s`, `3 h 20 min`, `2 d 4 h`.
    static func duration(_ millis: Double) -> String {
        let ms = Int64(millis.rounded())
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        switch ms {
        case ..<1000: return "\(ms) ms"
        case ..<60_000: return "\(ms / 1000).\(ms % 1000 / 100) s"
        case ..<3_600_000: return "\(ms / 60_000) min \(two(ms % 60_000 / 1000)) s"
        case ..<86_400_000: return "\(ms / 3_600_000) h \(two(ms % 3_600_000 / 60_000)) min"
        default: return "\(ms / 86_400_000) d \(ms % 86_400_000 / 3_600_000) h"
        }
    }
}
