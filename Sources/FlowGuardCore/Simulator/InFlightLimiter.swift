import Synchronization

/// The cap on requests in flight (`--concurrency`): the dispatcher takes a slot before each send,
/// and the finished send gives it back.
///
/// Only the dispatcher waits for a slot, so there is at most one waiter.
final class InFlightLimiter: Sendable {
    private struct State {
        var inFlight = 0
        var waiter: CheckedContinuation<Bool, Never>?
    }

    /// The most requests in flight at once.
    let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        precondition(limit > 0, "the limit must be positive")
        self.limit = limit
    }

    /// Takes a slot if one is free.
    func tryAcquire() -> Bool {
        state.withLock { state in
            guard state.inFlight < limit else { return false }
            state.inFlight += 1
            return true
        }
    }

    /// Waits for a slot and takes it; returns false, without a slot, when the task is cancelled.
    func acquire() async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let immediate: Bool? = state.withLock { state in
                    if state.inFlight < limit {
                        state.inFlight += 1
                        return true
                    }
                    // Checked under the lock: a cancellation handler that ran before this point finds no waiter.
                    if Task.isCancelled { return false }
                    precondition(state.waiter == nil, "only the dispatcher waits for a slot")
                    state.waiter = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            abandonWait()
        }
    }

    /// Gives a slot back: to the waiting dispatcher if there is one.
    func release() {
        let waiter: CheckedContinuation<Bool, Never>? = state.withLock { state in
            if let waiter = state.waiter {
                // The slot passes straight to the waiter: inFlight stays the same.
                state.waiter = nil
                return waiter
            }
            state.inFlight -= 1
            return nil
        }
        waiter?.resume(returning: true)
    }

    /// Ends a wait for a slot, if the dispatcher is waiting: `acquire()` returns false.
    func abandonWait() {
        let waiter = state.withLock { state in
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: false)
    }

    /// Requests in flight now.
    var inFlight: Int { state.withLock { $0.inFlight } }
}
