import Synchronization

/// At most `limit` objects are compressed and stored at once, across all partitions: each holds up to
/// one 8 MiB part (or a whole object up to 8 MiB) and zlib's buffers in memory, so this bound, not the
/// number of partitions or `--max-bytes`, is what memory grows with.
///
/// A released permit goes at once to the oldest queued waiter: an upload takes a few milliseconds, so
/// a permit left idle until a waiter next looked would cost a good share of them.
package final class UploadGate: Sendable {
    private struct State {
        var available: Int
        /// Tasks waiting for a permit, oldest first.
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
        var nextID: UInt64 = 0
        /// Waits that have begun but are not yet queued or answered.
        var starting: Set<UInt64> = []
        /// Those of `starting` whose task was cancelled before they were queued.
        var cancelledEarly: Set<UInt64> = []
    }

    private let state: Mutex<State>

    package init(limit: Int) {
        state = Mutex(State(available: limit))
    }

    /// Waits for a permit, behind every task that asked before.
    /// - Throws: `LakeError` when the task is cancelled while waiting (a revoked partition).
    func acquire() async throws(LakeError) {
        let id = state.withLock { state -> UInt64? in
            if state.available > 0 && state.waiters.isEmpty {
                state.available -= 1
                return nil
            }
            state.nextID &+= 1
            state.starting.insert(state.nextID)
            return state.nextID
        }
        guard let id else { return }
        let granted = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let answer = state.withLock { state -> Bool? in
                    state.starting.remove(id)
                    if state.cancelledEarly.remove(id) != nil { return false }
                    if state.available > 0 && state.waiters.isEmpty {
                        state.available -= 1
                        return true
                    }
                    state.waiters.append((id, continuation))
                    return nil
                }
                if let answer { continuation.resume(returning: answer) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                if let index = state.waiters.firstIndex(where: { $0.id == id }) {
                    return state.waiters.remove(at: index).continuation
                }
                // Not queued yet: it will find this when it tries. Already granted: it keeps the permit.
                if state.starting.contains(id) { state.cancelledEarly.insert(id) }
                return nil
            }
            waiter?.resume(returning: false)
        }
        if !granted { throw LakeError("cancelled") }
    }

    /// Tasks waiting for a permit now.
    var waiting: Int {
        state.withLock { $0.waiters.count }
    }

    /// Returns a permit: to the oldest waiter, if any.
    func release() {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard !state.waiters.isEmpty else {
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst().continuation
        }
        waiter?.resume(returning: true)
    }
}
