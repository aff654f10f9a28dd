extension YAMLNode {
    /// The scalar's text when the node is a scalar.
    var scalarText: String? {
        if case .scalar(let text, _) = kind { return text }
        return nil
    }

    /// Whether the node is a plain scalar that YAML reads as null (`~`, `null`, or nothing at all).
    var isNull: Bool {
        guard case .scalar(let text, .plain) = kind else { return false }
        return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    /// A short phrase naming what the node is, for error messages: `a mapping`, `the string "three"`.
    var summary: String {
        switch kind {
        case .mapping:
            return "a mapping"
        case .sequence:
            return "a sequence"
        case .scalar(let text, let style):
            if isNull { return "nothing (null)" }
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            switch style {
            case .singleQuoted, .doubleQuoted:
                return "the quoted string \"\(shown)\""
            case .plain, .literal, .folded:
                return "\"\(shown)\""
            }
        }
    }
}
