/// Assembles parse events into a `YAMLNode` tree, rejecting what FlowGuard's config files do not use:
/// anchors, aliases, tags and more than one document.
struct YAMLTreeBuilder {
    private enum OpenNode {
        case sequence(line: Int, column: Int, items: [YAMLNode])
        case mapping(line: Int, column: Int, entries: [(key: YAMLNode, value: YAMLNode)], pendingKey: YAMLNode?)
    }

    /// The root of the document, once it is complete; nil for a stream without a document.
    private(set) var root: YAMLNode?
    /// Whether the stream has ended.
    private(set) var isFinished = false
    private var open: [OpenNode] = []
    private var documentCount = 0

    /// Adds the next event of the stream.
    /// - Throws: `YAMLError` at the event's position for an anchor, alias, tag or second document.
    mutating func consume(_ event: YAMLEvent) throws(YAMLError) {
        if let anchor = event.anchor {
            throw YAMLError(line: event.line, column: event.column, message: "anchors (&\(anchor)) are not supported; write the value out")
        }
        if let tag = event.tag {
            throw YAMLError(line: event.line, column: event.column, message: "tags (\(Self.shorthand(tag))) are not supported; remove the tag")
        }
        switch event.kind {
        case .streamStart, .documentEnd:
            break
        case .streamEnd:
            isFinished = true
        case .documentStart:
            documentCount += 1
            guard documentCount == 1 else {
                throw YAMLError(line: event.line, column: event.column, message: "expected a single YAML document, found a second one")
            }
        case .alias(let anchor):
            throw YAMLError(line: event.line, column: event.column, message: "aliases (*\(anchor)) are not supported; write the value out")
        case .scalar(let text, let style):
            add(YAMLNode(.scalar(text, style: style), line: event.line, column: event.column))
        case .sequenceStart:
            open.append(.sequence(line: event.line, column: event.column, items: []))
        case .mappingStart:
            open.append(.mapping(line: event.line, column: event.column, entries: [], pendingKey: nil))
        case .sequenceEnd, .mappingEnd:
            closeInnermost()
        }
    }

    /// Writes a resolved tag the way it appears in files: `tag:yaml.org,2002:int` as `!!int`.
    private static func shorthand(_ tag: String) -> String {
        let core = "tag:yaml.org,2002:"
        return tag.hasPrefix(core) ? "!!" + tag.dropFirst(core.count) : tag
    }

    private mutating func closeInnermost() {
        switch open.popLast() {
        case .sequence(let line, let column, let items):
            add(YAMLNode(.sequence(items), line: line, column: column))
        case .mapping(let line, let column, let entries, _):
            add(YAMLNode(.mapping(entries), line: line, column: column))
        case nil:
            // libyaml balances start and end events, so there is always an open node here.
            break
        }
    }

    private mutating func add(_ node: YAMLNode) {
        switch open.popLast() {
        case nil:
            root = node
        case .sequence(let line, let column, var items):
            items.append(node)
            open.append(.sequence(line: line, column: column, items: items))
        case .mapping(let line, let column, var entries, let pendingKey):
            if let pendingKey {
                entries.append((key: pendingKey, value: node))
                open.append(.mapping(line: line, column: column, entries: entries, pendingKey: nil))
            } else {
                open.append(.mapping(line: line, column: column, entries: entries, pendingKey: node))
            }
        }
    }
}
