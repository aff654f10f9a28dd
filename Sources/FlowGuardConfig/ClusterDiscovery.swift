import FlowGuardSupport
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The small state file through which a running embedded cluster makes its address known to the
/// other subcommands (`.flowguard/cluster.json` in the working directory).
public struct ClusterDiscovery: Sendable {
    /// What the file holds.
    public struct Entry: Codable, Sendable, Equatable {
        public var bootstrapServers: String
        public var pid: Int32
        public var brokers: Int
        public var startedAt: String
        /// `dev-cluster` or `start-gateway`.
        public var owner: String

        public init(bootstrapServers: String, pid: Int32, brokers: Int, startedAt: String, owner: String) {
            self.bootstrapServers = bootstrapServers
            self.pid = pid
            self.brokers = brokers
            self.startedAt = startedAt
            self.owner = owner
        }

        enum CodingKeys: String, CodingKey {
            case bootstrapServers = "bootstrap_servers"
            case pid, brokers
            case startedAt = "started_at"
            case owner
        }
    }

    /// The file's path.
    public var path: String

    /// The default location: `.flowguard/cluster.json` under `directory`.
    public init(directory: String = FileManager.default.currentDirectoryPath) {
        self.path = FilePaths.join(directory, ".flowguard/cluster.json")
    }

    public init(path: String) {
        self.path = path
    }

    /// The entry of a running cluster; nil when there is no file, it is unreadable, or its process is gone.
    public func read() -> Entry? {
        guard let data = FileManager.default.contents(atPath: path),
            let entry = try? JSONDecoder().decode(Entry.self, from: data)
        else { return nil }
        guard Self.isAlive(pid: entry.pid) else { return nil }
        return entry
    }

    /// Writes the entry atomically (a reader never sees half a file).
    public func write(_ entry: Entry) throws {
        let directory = FilePaths.parent(of: path)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(entry).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Removes the file if it still describes this process's cluster.
    public func remove(ownedBy pid: Int32 = getpid()) {
        guard let data = FileManager.default.contents(atPath: path),
            let entry = try? JSONDecoder().decode(Entry.self, from: data),
            entry.pid == pid
        else { return }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Whether a process with this id exists.
    static func isAlive(pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
