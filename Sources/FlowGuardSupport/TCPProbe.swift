import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a TCP port accepts connections: what tells a registered broker that answers from one that
/// is down (cluster metadata lists every registered broker either way).
package enum TCPProbe {
    /// Connects once, on a dispatch thread (a blocking connect must not hold a cooperative thread),
    /// and closes at once.
    package static func canConnect(host: String, port: Int, timeout: Duration) async -> Bool {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var hints = addrinfo()
                hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
                var result: UnsafeMutablePointer<addrinfo>?
                guard getaddrinfo(host, String(port), &hints, &result) == 0, let info = result else {
                    continuation.resume(returning: false)
                    return
                }
                defer { freeaddrinfo(result) }
                let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
                guard fd >= 0 else {
                    continuation.resume(returning: false)
                    return
                }
                defer { close(fd) }
                let micros = max(1000, timeout.nanoseconds / 1000)
                var seconds = timeval(tv_sec: Int(micros / 1_000_000), tv_usec: Int(micros % 1_000_000))
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
                continuation.resume(returning: connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0)
            }
        }
    }
}
