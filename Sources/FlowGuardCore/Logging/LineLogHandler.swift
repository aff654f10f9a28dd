import Foundation
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
        let line: Data?
        switch format {
        case .text: line = Self.text(event, label: label, timestamp: timestamp, metadata: merged)
        case .json: line = Self.json(event, label: label, timestamp: timestamp, metadata: merged)
        }
        if let line {
            FileHandle.standardError.write(line)
        }
    }

    private static func text(_ event: LogEvent, label: String, timestamp: String, metadata: Logger.Metadata) -> Data {
        var line = "\(timestamp) \(event.level) \(label) :"
        for key in metadata.keys.sorted() {
            line += " \(key)=\(metadata[key]!)"
        }
        line += " \(event.message)\n"
        return Data(line.utf8)
    }

    private static func json(_ event: LogEvent, label: String, timestamp: String, metadata: Logger.Metadata) -> Data? {
        var object: [String: Any] = [
            "timestamp": timestamp,
            "level": event.level.rawValue,
            "label": label,
            "message": event.message.description,
        ]
        for (key, value) in metadata {
            object[key] = jsonValue(value)
        }
        guard var data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return nil
        }
        data.append(0x0A)
        return data
    }

    private static func jsonValue(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let string): return string
        case .stringConvertible(let convertible): return convertible.description
        case .array(let array): return array.map(jsonValue)
        case .dictionary(let dictionary): return dictionary.mapValues(jsonValue)
        }
    }
}
