#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's own memory, CPU time and descriptors, read from `/proc/self` when `/metrics` is
/// scraped, under the names Prometheus' client libraries give them (`process_*`), so that dashboards
/// and alerts written for any exporter read them unchanged.
///
/// Linux only: `current()` is nil where `/proc/self/stat` does not exist.
public struct ProcessStatistics: Sendable, Equatable {
    /// Resident set size, in bytes.
    public var residentMemoryBytes: UInt64
    /// Virtual memory size, in bytes.
    public var virtualMemoryBytes: UInt64
    /// User and system CPU time since the process started, in seconds.
    public var cpuSeconds: Double
    /// Descriptors open now, or nil when `/proc/self/fd` cannot be listed.
    public var openFileDescriptors: Int?
    /// The soft limit on open descriptors.
    public var maxFileDescriptors: UInt64?

    public init(residentMemoryBytes: UInt64, virtualMemoryBytes: UInt64, cpuSeconds: Double, openFileDescriptors: Int?, maxFileDescriptors: UInt64?) {
        self.residentMemoryBytes = residentMemoryBytes
        self.virtualMemoryBytes = virtualMemoryBytes
        self.cpuSeconds = cpuSeconds
        self.openFileDescriptors = openFileDescriptors
        self.maxFileDescriptors = maxFileDescriptors
    }

    /// The figures now, or nil off Linux.
    public static func current() -> ProcessStatistics? {
        #if os(Linux)
        guard let stat = readSmallFile("/proc/self/stat"),
            var statistics = parse(stat: stat, clockTicksPerSecond: Double(sysconf(Int32(_SC_CLK_TCK))), pageSize: UInt64(sysconf(Int32(_SC_PAGESIZE))))
        else { return nil }
        statistics.openFileDescriptors = countOpenDescriptors()
        statistics.maxFileDescriptors = OpenFileLimit.current()?.soft
        return statistics
        #else
        return nil
        #endif
    }

    /// Reads `/proc/PID/stat`'s fields (proc(5)): the command name is in parentheses and may hold
    /// spaces or parentheses itself, so the fields are counted from the last `)`. After it come
    /// field 3 (state) onwards; utime and stime are fields 14 and 15 (clock ticks), vsize 23 (bytes),
    /// rss 24 (pages).
    /// - Returns: nil when the text does not have that shape.
    static func parse(stat: [UInt8], clockTicksPerSecond: Double, pageSize: UInt64) -> ProcessStatistics? {
        guard let close = stat.lastIndex(of: UInt8(ascii: ")")), clockTicksPerSecond > 0 else { return nil }
        let fields = stat[(close + 1)...].split(separator: UInt8(ascii: " "), omittingEmptySubsequences: true)
        // fields[0] is field 3.
        func field(_ number: Int) -> UInt64? {
            let index = number - 3
            guard index < fields.count else { return nil }
            let text = fields[fields.startIndex + index].filter { $0 != UInt8(ascii: "\n") }
            return UInt64(String(decoding: text, as: UTF8.self))
        }
        guard let utime = field(14), let stime = field(15), let vsize = field(23), let rss = field(24) else { return nil }
        return ProcessStatistics(
            residentMemoryBytes: rss * pageSize, virtualMemoryBytes: vsize,
            cpuSeconds: Double(utime + stime) / clockTicksPerSecond, openFileDescriptors: nil, maxFileDescriptors: nil
        )
    }

    #if os(Linux)
    /// A file of `/proc` in one go: its size is not known beforehand (stat reports 0), and 4 KiB is
    /// several times what `/proc/self/stat` holds.
    private static func readSmallFile(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return Array(buffer[0..<count])
    }

    /// Entries of `/proc/self/fd`, less the one `opendir` itself holds while listing.
    private static func countOpenDescriptors() -> Int? {
        guard let directory = opendir("/proc/self/fd") else { return nil }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in name.first == UInt8(ascii: ".") }
            if !isDot { count += 1 }
        }
        return max(count - 1, 0)
    }
    #endif
}
