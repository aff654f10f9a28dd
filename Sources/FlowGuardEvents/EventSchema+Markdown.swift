import FlowGuardSupport

extension EventSchema {
    /// The field table of `docs/api.md`, written from the schemas; a test holds the document's copy
    /// equal to it.
    package static var markdownFieldTable: String {
        let kinds = EventKind.allCases
        var names: [String] = []
        for kind in kinds {
            for field in kind.schema.fields where !names.contains(field.name) {
                names.append(field.name)
            }
        }
        var lines = [
            "| field | " + kinds.map { "\($0.rawValue)s" }.joined(separator: " | ") + " | rule | meaning |",
            "|---|" + kinds.map { _ in "---|" }.joined() + "---|---|",
        ]
        for name in names {
            let fields = kinds.map { kind in kind.schema.fields.first { $0.name == name } }
            guard let first = fields.compactMap({ $0 }).first else { continue }
            let cells = fields.map { field -> String in
                guard let field else { return "–" }
                let presence = field.isRequired ? "required" : "optional"
                return field.rule == .falseOnly ? "\(presence), only `false`" : presence
            }
            // A field some kinds describe in their own words gets each kind's words.
            var meanings: [(kinds: [EventKind], text: String)] = []
            for (kind, field) in zip(kinds, fields) {
                guard let field else { continue }
                if let index = meanings.firstIndex(where: { $0.text == field.description }) {
                    meanings[index].kinds.append(kind)
                } else {
                    meanings.append(([kind], field.description))
                }
            }
            let meaning = meanings.count == 1
                ? first.description
                : meanings.map { "\($0.kinds.map { "\($0.rawValue)s" }.joined(separator: ", ")): \($0.text)" }.joined(separator: " ")
            lines.append("| `\(name)` | " + cells.joined(separator: " | ") + " | \(first.rule.markdown) | \(meaning) |")
        }
        return lines.joined(separator: "\n")
    }
}

extension EventField.Rule {
    /// The rule in a few words, for the docs.
    var markdown: String {
        switch self {
        case .string(let minimum, let maximum): "string, \(minimum)–\(maximum) characters"
        case .integer(let minimum): "integer ≥ \(minimum) (64-bit)"
        case .number(let exclusiveMinimum): "number > \(exclusiveMinimum), finite; forwarded exactly as written"
        case .boolean: "boolean"
        case .falseOnly: "`false`"
        case .timestamp(let range):
            "RFC 3339 date-time with an offset, or integer epoch milliseconds, from \(RFC3339.format(millis: range.lowerBound)) to \(RFC3339.format(millis: range.upperBound))"
        }
    }
}
