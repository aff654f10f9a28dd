import Synchronization

/// Bounds how many batch requests are decoded, produced and awaited at once; the others wait their
/// turn in arrival order.
///
/// A batch of 1,000 events holds about 2 MB while it is processed (its events, their Kafka values,
/// librdkafka's copies until acknowledged, the answer). On two cores, 4 batches at a time gave about
/// 5% less throughput than no limit and peaked 10–20 MiB lower (bench/NOTES.md).
final class BatchGate: Sendable {
    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var available: Int
        var waiters: [Waiter] = []
        var nextID: UInt64 = 0
    }

    /// The most batches processed at once.
    let permits: Int
    private let state: Mutex<State>

    init(permits: Int) {
        precondition(permits > 0, "a batch gate needs at least one permit")
        self.permits = permits
        self.state = Mutex(State(available: permits))
    }

    /// Takes a permit, waiting at most `timeout` for one.
    /// - Returns: Whether a permit was taken; the caller must `release()` it.
    func acquire(timeout: Duration) async -> Bool {
        let immediate = state.withLock { state in
            guard state.available > 0 else { return false }
            state.available -= 1
            return true
        }
        if immediate { return true }
        return await withTaskGroup(of: Bool?.self) { group in
            group.addTask { await self.wait() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            var acquired = false
            while let result = await group.next() {
                // Whichever finishes first cancels the other. A permit handed over while the wait was
                // being cancelled still arrives as `true`, so it is used rather than lost.
                if let granted = result { acquired = granted }
                group.cancelAll()
            }
            return acquired
        }
    }

    /// Gives a permit back: to the longest waiting batch, if any.
    func release() {
        let next: CheckedContinuation<Bool, Never>? = state.withLock { state in
            guard !state.waiters.isEmpty else {
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst().continuation
        }
        next?.resume(returning: true)
    }

    /// Batches waiting for a permit now.
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// Permits taken now.
    var inUse: Int { state.withLock { permits - $0.available } }

    /// Waits in line for a permit; false when the task is cancelled first.
    private func wait() async -> Bool {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let immediate: Bool? = state.withLock { state in
                    if state.available > 0 {
                        state.available -= 1
                        return true
                    }
                    // Checked under the lock: a cancellation handler that ran before this finds no waiter.
                    if Task.isCancelled { return false }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let cancelled: CheckedContinuation<Bool, Never>? = state.withLock { state in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            cancelled?.resume(returning: false)
        }
    }
}
