#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's limit on open file descriptors (`RLIMIT_NOFILE`).
///
/// Every client connection, Kafka broker connection, librdkafka wake-up pipe and embedded-cluster
/// listener is a descriptor. Shells and service managers often start processes with a soft limit of
/// 1,024 and a far higher hard limit; a gateway allowing 4,096 connections would then have the kernel
/// refuse the 1,000th with `EMFILE`. So `flowguard` lifts its soft limit to the hard one at start, as
/// Go's runtime does (nginx has `worker_rlimit_nofile` for the same reason).
public struct OpenFileLimit: Sendable, Equatable, CustomStringConvertible {
    /// The limit the kernel enforces now.
    public var soft: UInt64
    /// The ceiling an unprivileged process may raise `soft` to.
    public var hard: UInt64

    /// Descriptors the gateway needs beside its client connections: Kafka sockets and librdkafka's
    /// wake-up pipes (three per broker), an embedded cluster's listeners and connections, log and
    /// configuration files.
    public static let gatewayReserve: UInt64 = 256

    public var description: String {
        hard == Self.unlimited ? "\(soft) (hard unlimited)" : "\(soft) (hard \(hard))"
    }

    /// How many client connections fit under the soft limit with `reserve` descriptors kept for
    /// everything else; half the limit when it is smaller than twice the reserve.
    public func connectionCapacity(reserve: UInt64 = gatewayReserve) -> Int {
        let capacity = soft >= 2 * reserve ? soft - reserve : soft / 2
        return Int(clamping: max(capacity, 1))
    }

    /// The limits in force, or `nil` if the system will not say.
    public static func current() -> OpenFileLimit? {
        var limit = rlimit()
        guard getrlimit(resourceNumber, &limit) == 0 else { return nil }
        return OpenFileLimit(soft: UInt64(limit.rlim_cur), hard: UInt64(limit.rlim_max))
    }

    /// Lifts the soft limit to the hard one, and returns the limits in force afterwards (unchanged if
    /// the system refused). Never lowers anything. Called by the executable before any subcommand runs.
    @discardableResult
    public static func raiseToHardLimit() -> OpenFileLimit? {
        guard let limit = current() else { return nil }
        #if canImport(Darwin)
        // Darwin reports an unlimited hard limit but refuses a soft one above OPEN_MAX.
        let target = min(limit.hard, UInt64(OPEN_MAX))
        #else
        let target = limit.hard
        #endif
        guard limit.soft < target else { return limit }
        var raised = rlimit(rlim_cur: rlim_t(target), rlim_max: rlim_t(limit.hard))
        guard setrlimit(resourceNumber, &raised) == 0 else { return limit }
        return current() ?? limit
    }

    #if canImport(Glibc)
    private static let resourceNumber = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    /// `RLIM_INFINITY`, which Swift does not import on Linux (a cast of -1).
    private static let unlimited = UInt64(rlim_t.max)
    #else
    private static let resourceNumber = RLIMIT_NOFILE
    /// `RLIM_INFINITY` on Darwin: 2^63 - 1.
    private static let unlimited = UInt64(Int64.max)
    #endif
}
