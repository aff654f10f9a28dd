/// The entries of a YAML mapping whose keys are known to be unique scalars.
struct YAMLFields {
    /// One `key: value` entry.
    struct Field {
        var name: String
        var key: YAMLNode
        var value: YAMLNode
    }

    /// The entries in source order.
    var fields: [Field]

    /// The entry with this key.
    subscript(name: String) -> Field? {
        fields.first { $0.name == name }
    }
}

extension TopicsFileDecoder {
    /// The entries of a mapping node; `keyPath` nil means the top level of the document.
    /// - Throws: When the node is not a mapping, a key is not a scalar, or a key occurs twice.
    func fields(of node: YAMLNode, at keyPath: String?, mustBe expected: String) throws(TopicsFileError) -> YAMLFields {
        guard case .mapping(let pairs) = node.kind else {
            let subject = keyPath == nil ? "the top level must be" : "must be"
            throw failure(at: node, key: keyPath, "\(subject) \(expected), got \(node.summary)")
        }
        var fields: [YAMLFields.Field] = []
        var firstLines: [String: Int] = [:]
        for pair in pairs {
            guard let name = pair.key.scalarText else {
                throw failure(at: pair.key, key: keyPath, "keys must be plain strings, got \(pair.key.summary) as a key")
            }
            let fieldPath = Self.join(keyPath, name)
            if let firstLine = firstLines[name] {
                throw failure(at: pair.key, key: fieldPath, "duplicate key '\(name)'; first given at line \(firstLine)")
            }
            firstLines[name] = pair.key.line
            fields.append(YAMLFields.Field(name: name, key: pair.key, value: pair.value))
        }
        return YAMLFields(fields: fields)
    }

    /// Fails at the first key that is not in `allowed`, suggesting the closest allowed key.
    func rejectUnknownKeys(in mapping: YAMLFields, allowed: [String], at keyPath: String?) throws(TopicsFileError) {
        for field in mapping.fields where !allowed.contains(field.name) {
            var message = "unknown key '\(field.name)'"
            if let suggestion = KeySuggestion.closest(to: field.name, among: allowed) {
                message += " (did you mean '\(suggestion)'?)"
            }
            message += "; allowed keys: " + allowed.joined(separator: ", ")
            throw failure(at: field.key, key: Self.join(keyPath, field.name), message)
        }
    }

    /// `parent.key`, or `key` at the top level.
    static func join(_ parent: String?, _ key: String) -> String {
        parent.map { "\($0).\(key)" } ?? key
    }
}
