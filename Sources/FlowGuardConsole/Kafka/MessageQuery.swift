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
        default:
            throw .badRequest("from must be newest, oldest, offset or timestamp, got '\(from)'")
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
        }
        result.append(("limit", String(limit)))
        if let key { result.append(("key", key)) }
        if let header { result.append(("header", "\(header.name)=\(header.value)")) }
        for (field, value) in fields { result.append(("field", "\(field)=\(value)")) }
        if let contains { result.append(("contains", contains)) }
        return result
    }

    package static func == (lhs: MessageQuery, rhs: MessageQuery) -> Bool {
        lhs.parameters.map { "\($0.0)=\($0.1)" } == rhs.parameters.map { "\($0.0)=\($0.1)" }
    }
}
