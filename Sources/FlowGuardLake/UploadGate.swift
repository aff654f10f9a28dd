import Synchronization

/// At most `limit` objects are compressed and stored at once, across all partitions: each holds up to
/// one 8 MiB part (or a whole object up to 8 MiB) and zlib's buffers in memory, so this bound, not the
/// number of partitions or `--max-bytes`, is what memory grows with.
package final class UploadGate: Sendable {
    private let available: Mutex<Int>

    package init(limit: Int) {
        available = Mutex(limit)
    }

    /// Waits for a permit; polls, so that a cancelled waiter (a revoked partition) simply stops waiting.
    /// - Throws: `LakeError` when the task is cancelled while waiting.
    func acquire() async throws(LakeError) {
        while !available.withLock({ count in
            guard count > 0 else { return false }
            count -= 1
            return true
        }) {
            do {
                try await Task.sleep(for: .milliseconds(10))
            } catch {
                throw LakeError("cancelled")
            }
        }
    }

    func release() {
        available.withLock { $0 += 1 }
    }
}
