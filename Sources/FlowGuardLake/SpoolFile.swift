#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A scratch file on disk, unlinked as soon as it is created: records wait here rather than in memory,
/// and a crash (even `kill -9`) leaves nothing behind, because the file goes when its descriptor does.
///
/// `@unchecked Sendable`: one task at a time owns a spool file. The dumper's loop appends to it while its
/// object is open and hands it to the upload task when the segment is sealed, and never touches it again.
package final class SpoolFile: @unchecked Sendable {
    private let descriptor: Int32
    /// Bytes written, the buffer included.
    package private(set) var size = 0
    private var buffer: [UInt8] = []
    private static let bufferSize = 32 << 10

    /// Creates an empty spool file in `directory`.
    /// - Throws: `LakeError` when the directory cannot hold one.
    package init(directory: String) throws(LakeError) {
        var template = Array("\(directory)/flowguard-spool-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw LakeError("cannot create a spool file in \(directory): \(String(cString: strerror(errno)))")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.descriptor = descriptor
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit {
        close(descriptor)
    }

    /// Appends bytes (buffered).
    package func append<Bytes: Collection>(_ bytes: Bytes) throws(LakeError) where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        size += bytes.count
        if buffer.count >= Self.bufferSize { try flush() }
    }

    /// Writes the buffer out.
    package func flush() throws(LakeError) {
        if let error = writeAll(descriptor, buffer) {
            throw LakeError("cannot write the spool file: \(String(cString: strerror(error)))")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// `length` bytes from `offset` (flushes first).
    package func read(offset: Int, length: Int) throws(LakeError) -> [UInt8] {
        try flush()
        var bytes = [UInt8](repeating: 0, count: length)
        var done = 0
        while done < length {
            let result = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, length - done, off_t(offset + done)) }
            if result < 0 {
                if errno == EINTR { continue }
                throw LakeError("cannot read the spool file: \(String(cString: strerror(errno)))")
            }
            if result == 0 { throw LakeError("the spool file is shorter than expected (\(offset + done) of \(offset + length) bytes)") }
            done += result
        }
        return bytes
    }
}

/// Writes all of `bytes` to `descriptor`, again after a short write or an interrupted one.
/// - Returns: nil when all was written, else the `errno` of the failed write.
func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Int32? {
    var written = 0
    while written < bytes.count {
        let result = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
        if result < 0 {
            if errno == EINTR { continue }
            return errno
        }
        written += result
    }
    return nil
}
