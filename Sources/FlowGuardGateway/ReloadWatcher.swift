import FoundationEssentials
import Logging
import ServiceLifecycle
import Synchronization

/// For `--reload`: watches files (the binary, config files) and returns from `run()` when one
/// changes, which shuts the service group down gracefully so the command can restart in place.
package final class ReloadWatcher: Service, Sendable {
    let paths: [String]
    let interval: Duration
    let logger: Logger
    private let changed = Atomic<Bool>(false)

    /// Whether `run()` returned because a file changed (not because of a shutdown signal).
    package var fileChanged: Bool { changed.load(ordering: .relaxed) }

    package init(paths: [String], interval: Duration = .seconds(1), logger: Logger) {
        self.paths = paths
        self.interval = interval
        self.logger = logger
    }

    private func fingerprints() -> [String: Date] {
        paths.reduce(into: [:]) { result, path in
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            result[path] = attributes?[.modificationDate] as? Date ?? .distantPast
        }
    }

    package func run() async throws {
        let initial = fingerprints()
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            try? await Task.sleep(for: interval)
            let now = fingerprints()
            if let changed = now.first(where: { initial[$0.key] != $0.value })?.key {
                logger.notice("File changed, restarting", metadata: ["reload.path": .string(changed)])
                self.changed.store(true, ordering: .relaxed)
                return
            }
        }
    }
}
