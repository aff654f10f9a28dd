/// The one way text reaches a page: `HTML.text` makes any string inert, in element content and in
/// double-quoted attributes alike.
package enum HTML {
    /// Escapes `&`, `<`, `>`, `"` and `'`, and shows control characters (ANSI escapes, NUL, DEL, the
    /// C1 range) as visible symbols (`␛`, `␀`, or `\u{85}`) instead of passing them to the browser.
    /// Line feeds and tabs stay. Every piece of record data, and every other text, goes through here.
    package static func text(_ string: String) -> String {
        var result = ""
        result.reserveCapacity(string.utf8.count)
        for scalar in string.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\n", "\t": result.unicodeScalars.append(scalar)
            case "\u{0}"..."\u{1F}":
                // The Control Pictures block mirrors C0: U+2400 + the code.
                result.unicodeScalars.append(Unicode.Scalar(0x2400 + scalar.value)!)
            case "\u{7F}": result += "\u{2421}"
            case "\u{80}"..."\u{9F}", "\u{2028}", "\u{2029}", "\u{202A}"..."\u{202E}", "\u{2066}"..."\u{2069}":
                // C1 controls, line separators and bidirectional overrides: shown by code, never obeyed.
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `text`, cut to `limit` characters; `cut` says whether anything was left out.
    package static func text(_ string: String, limit: Int) -> (html: String, cut: Bool) {
        guard string.count > limit else { return (text(string), false) }
        return (text(String(string.prefix(limit))), true)
    }

    /// A link whose target the console built (a path and a query it encoded), never one from data.
    package static func link(_ path: String, _ parameters: [(String, String)] = [], _ label: String, className: String? = nil) -> String {
        let href = parameters.isEmpty ? path : path + "?" + FormFields.query(parameters)
        let classAttribute = className.map { " class=\"\(text($0))\"" } ?? ""
        return "<a href=\"\(text(href))\"\(classAttribute)>\(text(label))</a>"
    }

    /// A path segment for a console URL (`/topics/<name>`), percent-encoded.
    package static func segment(_ string: String) -> String { FormFields.encode(string) }
}
