extension TopicsFileDecoder {
    /// A plain decimal integer between 1 and `max`; quoted numbers, floats, hex and octal are rejected.
    func integer(_ node: YAMLNode, at keyPath: String, max: Int) throws(TopicsFileError) -> Int {
        let expected = "must be an integer >= 1"
        guard case .scalar(let text, let style) = node.kind, !node.isNull else {
            throw failure(at: node, key: keyPath, "\(expected), got \(node.summary)")
        }
        let digits = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        guard style == .plain, !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            let hint = style != .plain && Int(text) != nil ? " (write numbers without quotes)" : ""
            throw failure(at: node, key: keyPath, "\(expected), got \(node.summary)\(hint)")
        }
        guard digits == "0" || !digits.hasPrefix("0") else {
            throw failure(at: node, key: keyPath, "\(expected) without leading zeros, got \(text)")
        }
        guard let value = Int(text), value <= max else {
            throw failure(at: node, key: keyPath, "must be at most \(max), got \(text)")
        }
        guard value >= 1 else {
            throw failure(at: node, key: keyPath, "\(expected), got \(value)")
        }
        return value
    }

    /// Any scalar's text; nil when the key is absent or null.
    func optionalString(_ node: YAMLNode?, at keyPath: String) throws(TopicsFileError) -> String? {
        guard let node, !node.isNull else { return nil }
        guard let text = node.scalarText else {
            throw failure(at: node, key: keyPath, "must be a string, got \(node.summary)")
        }
        return text
    }
}
