#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's standard output or standard error, written with `write(2)`.
///
/// Each call writes its bytes in full, retrying short writes and `EINTR`. A line of up to 4 KiB
/// (`PIPE_BUF`) goes out in one `write`, so lines that threads write to the same pipe do not mix.
/// Errors such as a closed pipe are ignored, as `print` ignores them.
struct StandardStream: Sendable {
    private let descriptor: Int32

    static let output = StandardStream(descriptor: STDOUT_FILENO)
    static let error = StandardStream(descriptor: STDERR_FILENO)

    /// Whether the stream is a terminal.
    var isTerminal: Bool { isatty(descriptor) == 1 }

    func write(_ text: String) {
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
                if errno == EINTR { continue }
                return
            }
            next += written
            left -= written
        }
    }
}
