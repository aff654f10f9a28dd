/// One libyaml parse event as Swift values; the C event it came from has already been freed.
struct YAMLEvent: Sendable {
    /// What the event reports.
    enum Kind: Sendable {
        case streamStart
        case streamEnd
        case documentStart
        case documentEnd
        case alias(anchor: String)
        case scalar(String, style: YAMLNode.ScalarStyle)
        case sequenceStart
        case sequenceEnd
        case mappingStart
        case mappingEnd
    }

    /// What the event reports.
    var kind: Kind
    /// The anchor (`&name`) written on the node, if any.
    var anchor: String?
    /// The explicit tag (`!!int`, `!`) written on the node, if any.
    var tag: String?
    /// The 1-based line where the event starts.
    var line: Int
    /// The 1-based column (in characters) where the event starts.
    var column: Int
}
