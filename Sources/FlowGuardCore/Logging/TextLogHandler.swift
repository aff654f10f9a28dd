import Foundation
import Logging

/// Writes one human-readable line per log event to standard error:
/// `2026-11-25T23:12:00.123Z info flowguard : key=value message`.
///
/// Unlike swift-log's `StreamLogHandler`, it renders metadata when a line is written, not each time
/// metadata is set: the server sets a request id on every request's logger, and most requests log nothing.
struct TextLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String) {
        self.label = label
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        var line = RFC3339.format(millis: Int64(Date().timeIntervalSince1970 * 1000))
        line += " \(event.level) \(label) :"
        for key in merged.keys.sorted() {
            line += " \(key)=\(merged[key]!)"
        }
        line += " \(event.message)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
