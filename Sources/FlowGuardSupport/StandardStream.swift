#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's standard output or standard error, written with `write(2)`.
///
/// Each call writes its bytes in full, retrying short writes and `EINTR`, and waiting for room when
/// the descriptor is non-blocking (a pipe that a supervisor set `O_NONBLOCK` on answers `EAGAIN` when
/// full), as a blocking one would wait; after `stallTimeout` (10 s) without room the rest is dropped
/// rather than holding the thread for ever. A line of up to 4 KiB (`PIPE_BUF`) goes out in one
/// `write`, so lines that threads write to the same pipe do not mix. Errors such as a closed pipe are
/// ignored, as `print` ignores them.
package struct StandardStream: Sendable {
    let descriptor: Int32
    /// How long a write waits for a full non-blocking pipe to take bytes, in milliseconds.
    private static let stallTimeout: Int32 = 10_000

    static let output = StandardStream(descriptor: STDOUT_FILENO)
    package static let error = StandardStream(descriptor: STDERR_FILENO)

    /// Whether the stream is a terminal.
    var isTerminal: Bool { isatty(descriptor) == 1 }

    package func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    func write(_ bytes: some Collection<UInt8>) {
        if bytes.withContiguousStorageIfAvailable({ write(UnsafeRawBufferPointer($0)) }) == nil {
            Array(bytes).withUnsafeBytes { write($0) }
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) {
        guard var next = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            #if canImport(Glibc)
            let written = Glibc.write(descriptor, next, left)
            #else
            let written = Darwin.write(descriptor, next, left)
            #endif
            if written < 0 {
                let error = errno
                if error == EINTR { continue }
                if error == EAGAIN || error == EWOULDBLOCK, waitForRoom() { continue }
                return
            }
            next += written
            left -= written
        }
    }

    /// Waits until the descriptor takes bytes again; false after `stallTimeout` or on an error.
    private func waitForRoom() -> Bool {
        var descriptor = pollfd(fd: self.descriptor, events: Int16(POLLOUT), revents: 0)
        while true {
            let ready = poll(&descriptor, 1, Self.stallTimeout)
            if ready < 0 && errno == EINTR { continue }
            return ready > 0 && descriptor.revents & Int16(POLLOUT) != 0
        }
    }
}
