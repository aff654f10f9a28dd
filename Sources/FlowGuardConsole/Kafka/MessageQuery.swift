import FlowGuardSupport

/// What the message browser is asked for: which partitions, where to start, how many, and filters.
/// Parsed from the query string of `/topics/{topic}/messages` and `/api/topics/{topic}/messages`.
package struct MessageQuery: Sendable, Equatable {
    /// Where reading starts.
    package enum Start: Sendable, Equatable {
        /// The newest `limit` records (per partition read, then the newest across them).
        case newest
        /// The oldest records still held.
        case oldest
        /// This offset of each partition read.
        case offset(Int64)
        /// The first record at or after this time (ms since the epoch), found with offsetsForTimes.
        case timestamp(Int64)
        /// The newest `limit` records below these offsets, by partition: the page older than one shown.
        case before([Int32: Int64])
        /// The records from these offsets on, by partition: the page newer than one shown.
        case after([Int32: Int64])

        /// Whether the page runs newest first (from the end back) rather than oldest first.
        package var isDescending: Bool {
            switch self {
            case .newest, .before: true
            case .oldest, .offset, .timestamp, .after: false
            }
        }
    }

    package var partition: Int32?
    package var start: Start = .newest
    package var limit: Int = 50
    /// Only records whose key is exactly this text.
    package var key: String?
    /// Only records with a header of this name whose value is exactly this text.
    package var header: (name: String, value: String)?
    /// Only records whose JSON value has each field equal (as `tail --filter`).
    package var fields: [(String, String)] = []
    /// Only records whose value contains these bytes.
    package var contains: String?

    package static let maxLimit = 1000

    package init(partition: Int32? = nil, start: Start = .newest, limit: Int = 50) {
        self.partition = partition
        self.start = start
        self.limit = limit
    }

    /// Whether records must be read and tested rather than counted off the watermarks.
    package var hasFilters: Bool { key != nil || header != nil || !fields.isEmpty || contains != nil }

    /// Parses the query parameters; every error names the parameter.
    /// - Throws: `ConsoleError` 400.
    package init(parameters: FormFields) throws(ConsoleError) {
        if let text = parameters["partition"], !text.isEmpty, text != "all" {
            guard let value = Int32(text), value >= 0 else { throw .badRequest("partition must be a partition number or 'all', got '\(text)'") }
            partition = value
        }
        if let text = parameters["limit"], !text.isEmpty {
            guard let value = Int(text), (1...Self.maxLimit).contains(value) else {
                throw .badRequest("limit must be a number from 1 to \(Self.maxLimit), got '\(text)'")
            }
            limit = value
        }
        let from = parameters["from"].flatMap { $0.isEmpty ? nil : $0 } ?? "newest"
        switch from {
        case "newest": start = .newest
        case "oldest": start = .oldest
        case "offset":
            guard let text = parameters["offset"], let value = Int64(text), value >= 0 else {
                throw .badRequest("from=offset needs offset, a number from 0, got '\(parameters["offset"] ?? "")'")
            }
            start = .offset(value)
        case "timestamp":
            let text = parameters["timestamp"] ?? ""
            if let millis = Int64(text) {
                start = .timestamp(millis)
            } else {
                do {
                    start = .timestamp(try RFC3339.parse(text))
                } catch {
                    throw .badRequest("from=timestamp needs timestamp, RFC 3339 (2026-01-02T03:04:05Z) or ms since the epoch, got '\(text)'")
                }
            }
        case "before", "after":
            let cursor = try Self.cursor(parameters["cursor"] ?? "", from: from)
            start = from == "before" ? .before(cursor) : .after(cursor)
        default:
            throw .badRequest("from must be newest, oldest, offset, timestamp, before or after, got '\(from)'")
        }
        if let text = parameters["key"], !text.isEmpty { key = text }
        if let text = parameters["header"], !text.isEmpty {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw .badRequest("header must be NAME=VALUE, got '\(text)'")
            }
            header = (String(text[..<equals]), String(text[text.index(after: equals)...]))
        }
        for text in parameters.all("field") where !text.isEmpty {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw .badRequest("field must be FIELD=VALUE, got '\(text)'")
            }
            fields.append((String(text[..<equals]), String(text[text.index(after: equals)...])))
        }
        if let text = parameters["contains"], !text.isEmpty { contains = text }
    }

    /// The query as parameters again, for links (paging, export, live).
    package var parameters: [(String, String)] {
        var result: [(String, String)] = []
        result.append(("partition", partition.map { String($0) } ?? "all"))
        switch start {
        case .newest: result.append(("from", "newest"))
        case .oldest: result.append(("from", "oldest"))
        case .offset(let offset): result += [("from", "offset"), ("offset", String(offset))]
        case .timestamp(let millis): result += [("from", "timestamp"), ("timestamp", RFC3339.format(millis: millis))]
        case .before(let cursor): result += [("from", "before"), ("cursor", Self.text(cursor))]
        case .after(let cursor): result += [("from", "after"), ("cursor", Self.text(cursor))]
        }
        result.append(("limit", String(limit)))
        if let key { result.append(("key", key)) }
        if let header { result.append(("header", "\(header.name)=\(header.value)")) }
        for (field, value) in fields { result.append(("field", "\(field)=\(value)")) }
        if let contains { result.append(("contains", contains)) }
        return result
    }

    /// A page's position, `PARTITION:OFFSET` pairs joined by commas (`0:120,1:98`).
    static func text(_ cursor: [Int32: Int64]) -> String {
        cursor.keys.sorted().map { "\($0):\(cursor[$0]!)" }.joined(separator: ",")
    }

    /// Parses `cursor` for `from=before` and `from=after`.
    /// - Throws: `ConsoleError` 400 naming `cursor`.
    static func cursor(_ text: String, from: String) throws(ConsoleError) -> [Int32: Int64] {
        var cursor: [Int32: Int64] = [:]
        for pair in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = pair.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let partition = Int32(parts[0]), partition >= 0, let offset = Int64(parts[1]), offset >= 0,
                cursor[partition] == nil
            else {
                throw .badRequest("from=\(from) needs cursor, PARTITION:OFFSET pairs joined by commas (0:120,1:98), got '\(text)'")
            }
            cursor[partition] = offset
        }
        return cursor
    }

    package static func == (lhs: MessageQuery, rhs: MessageQuery) -> Bool {
        lhs.parameters.map { "\($0.0)=\($0.1)" } == rhs.parameters.map { "\($0.0)=\($0.1)" }
    }
}
