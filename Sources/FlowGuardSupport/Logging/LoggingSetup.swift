import Logging
import Synchronization

/// Sets up swift-log once per process: human-readable lines, or JSON lines with
/// `--log-format json` / `FLOWGUARD_LOG_FORMAT=json`; the level by `--log-level` / `FLOWGUARD_LOG_LEVEL`.
package enum LoggingSetup {
    enum Format: String {
        case text
        case json
    }

    private static let bootstrapped = Mutex(false)

    /// Bootstraps the logging system (the first call only) and returns the root logger at the asked level.
    /// - Throws: `UsageError` for an unknown level or format.
    package static func bootstrap(arguments: ParsedArguments) throws(UsageError) -> Logger {
        let levelText = arguments.string(.logLevel) ?? "info"
        guard let level = Logger.Level(rawValue: levelText.lowercased()) else {
            throw UsageError(
                "log level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), got '\(levelText)'",
                command: arguments.command
            )
        }
        let formatText = arguments.string(.logFormat) ?? "text"
        guard let format = Format(rawValue: formatText.lowercased()) else {
            throw UsageError("log format must be text or json, got '\(formatText)'", command: arguments.command)
        }
        let first = bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        if first {
            LoggingSystem.bootstrap { label in LineLogHandler(label: label, format: format) }
        }
        var logger = Logger(label: "flowguard")
        logger.logLevel = level
        return logger
    }
}
