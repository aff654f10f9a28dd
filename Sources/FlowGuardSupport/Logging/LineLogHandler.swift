import FlowGuardJSON
import FoundationEssentials
import Logging

/// Writes one line per log event to standard error, in either format of `--log-format`:
/// - text: `2026-11-25T23:12:00.123Z info flowguard : key=value message`
/// - json: `{"label":"flowguard","level":"info","message":"…","timestamp":"…", <metadata>}`
///
/// Unlike swift-log's `StreamLogHandler`, it renders metadata when a line is written, not each time
/// metadata is set: the server sets a request id on every request's logger, and most requests log nothing.
struct LineLogHandler: LogHandler {
    let label: String
    let format: LoggingSetup.Format
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String, format: LoggingSetup.Format) {
        self.label = label
        self.format = format
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let timestamp = RFC3339.format(millis: Int64(Date().timeIntervalSince1970 * 1000))
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        switch format {
        case .text: StandardStream.error.write(Self.text(event, label: label, timestamp: timestamp, metadata: merged))
        case .json: StandardStream.error.write(Self.json(event, label: label, timestamp: timestamp, metadata: merged))
        }
    }

    static func text(_ event: LogEvent, label: String, timestamp: String, metadata: Logger.Metadata) -> String {
        var line = "\(timestamp) \(event.level) \(label) :"
        for key in metadata.keys.sorted() {
            line += " \(key)=\(metadata[key]!)"
        }
        line += " \(event.message)\n"
        return line
    }

    /// One JSON object with its keys sorted (nested ones too); metadata may replace the four fixed keys.
    static func json(_ event: LogEvent, label: String, timestamp: String, metadata: Logger.Metadata) -> [UInt8] {
        var members: [String: JSONValue] = [
            "timestamp": .string(timestamp),
            "level": .string(event.level.rawValue),
            "label": .string(label),
            "message": .string(event.message.description),
        ]
        for (key, value) in metadata {
            members[key] = jsonValue(value)
        }
        var line = JSONWriter.serialize(sortedObject(members))
        line.append(0x0A)
        return line
    }

    private static func sortedObject(_ members: [String: JSONValue]) -> JSONValue {
        .object(JSONObject(members.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }))
    }

    private static func jsonValue(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let string): return .string(string)
        case .stringConvertible(let convertible): return .string(convertible.description)
        case .array(let array): return .array(array.map(jsonValue))
        case .dictionary(let dictionary): return sortedObject(dictionary.mapValues(jsonValue))
        }
    }
}
