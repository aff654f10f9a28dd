import FlowGuardJSON
import FlowGuardKafka
import FlowGuardSupport

/// How a key, value or header is shown: JSON pretty-printed and collapsible, text as text, anything
/// that is not UTF-8 or holds NUL bytes as hex with a "binary" badge; long content cut with a link
/// to the whole record.
package enum RecordRendering {
    package enum Content: Equatable, Sendable {
        case absent
        case json(String)
        case text(String)
        case binary([UInt8])
    }

    /// What the bytes are.
    package static func classify(_ bytes: [UInt8]?) -> Content {
        guard let bytes else { return .absent }
        guard !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self) else { return .binary(bytes) }
        if let first = bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
            first == UInt8(ascii: "{") || first == UInt8(ascii: "["),
            let parsed = try? JSONParser.parse(bytes)
        {
            return .json(String(decoding: JSONWriter.serializeIndented(parsed), as: UTF8.self))
        }
        return .text(text)
    }

    /// The HTML for a value; `limit` characters at most (bytes for binary) unless nil, with
    /// `fullLink` offered when something was cut.
    package static func html(_ bytes: [UInt8]?, limit: Int?, fullLink: String?) -> String {
        let size = bytes?.count ?? 0
        func more(_ cut: Bool) -> String {
            guard cut, let fullLink else { return "" }
            return " <a class=\"show-all\" href=\"\(HTML.text(fullLink))\">show all (\(size) bytes)</a>"
        }
        switch classify(bytes) {
        case .absent:
            return "<span class=\"badge null\">null</span>"
        case .json(let pretty):
            let (html, cut) = limit.map { HTML.text(pretty, limit: $0) } ?? (HTML.text(pretty), false)
            return "<details class=\"json\" open><summary>JSON · \(size) bytes</summary><pre>\(html)</pre></details>\(more(cut))"
        case .text(let text):
            let (html, cut) = limit.map { HTML.text(text, limit: $0) } ?? (HTML.text(text), false)
            return "<pre class=\"text\">\(html)</pre>\(more(cut))"
        case .binary(let bytes):
            let shown = limit.map { Array(bytes.prefix($0 / 3)) } ?? bytes
            return "<span class=\"badge binary\">binary</span> \(size) bytes<pre class=\"hex\">\(HTML.text(hex(shown)))</pre>\(more(shown.count < bytes.count))"
        }
    }

    /// A key or header value: short, on one line.
    package static func inline(_ bytes: [UInt8]?, limit: Int = 200) -> String {
        switch classify(bytes) {
        case .absent: return "<span class=\"badge null\">null</span>"
        case .json(_), .text(_):
            let (html, cut) = HTML.text(String(decoding: bytes ?? [], as: UTF8.self), limit: limit)
            return "<code>\(html)</code>" + (cut ? "…" : "")
        case .binary(let bytes):
            return "<span class=\"badge binary\">binary</span> <code>\(HTML.text(hex(Array(bytes.prefix(limit / 3)))))</code>" + (bytes.count > limit / 3 ? "…" : "")
        }
    }

    /// `00 1b ff …`, 16 bytes a line.
    package static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var lines: [String] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 16, bytes.count)]
            lines.append(chunk.map { String([digits[Int($0 >> 4)], digits[Int($0 & 0xF)]]) }.joined(separator: " "))
            index += 16
        }
        return lines.joined(separator: "\n")
    }

    /// A table row for a record (the live view builds the same cells in the browser).
    package static func row(_ record: KafkaRecord, topicPath: String, valueLimit: Int = 2000) -> [String] {
        let full = "\(topicPath)/records/\(record.partition)/\(record.offset)"
        let headers = record.headers.isEmpty
            ? ""
            : "<ul class=\"headers\">" + record.headers.map { "<li><code>\(HTML.text($0.key))</code>: \(inline($0.value))</li>" }.joined() + "</ul>"
        return [
            "\(record.partition)",
            "<a href=\"\(HTML.text(full))\">\(record.offset)</a>",
            HTML.text(record.timestampMillis.map { RFC3339.format(millis: $0) } ?? "-"),
            inline(record.key),
            headers,
            html(record.value, limit: valueLimit, fullLink: full),
        ]
    }
}
