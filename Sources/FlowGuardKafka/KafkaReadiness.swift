import Synchronization

/// A signal that consumers raise when something arrives in their empty queue, so that one task
/// reading several consumers can wait for whichever has something first.
///
/// A task reading two consumers with zero-timeout polls must wait somewhere when both are empty;
/// waiting on one of them leaves what the other fetches meanwhile unread until the wait ends. Give
/// both consumers the same `KafkaReadiness` and wait on it instead: librdkafka calls back when a
/// consumer's queue goes from empty to not empty.
///
/// The signal is sticky: raised while nobody waits, it makes the next ``wait(timeout:)`` return at
/// once. A wait after a poll that found nothing therefore never misses what arrived in between; at
/// worst a stale signal costs one more turn of polls. One task waits at a time.
public final class KafkaReadiness: Sendable {
    private struct State {
        var raised = false
        var waiter: (id: UInt64, continuation: CheckedContinuation<Bool, Never>)?
        var nextID: UInt64 = 0
        /// A wait whose timer or cancellation came before it started waiting.
        var endedEarly: UInt64?
    }

    private let state = Mutex(State())

    public init() {}

    /// Waits until a consumer raises the signal, or `timeout` passes, or the task is cancelled.
    /// - Returns: whether the signal was raised (false when the wait timed out or was cancelled).
    public func wait(timeout: Duration) async -> Bool {
        let id = state.withLock { state -> UInt64? in
            if state.raised {
                state.raised = false
                return nil
            }
            state.nextID &+= 1
            return state.nextID
        }
        // Raised already (records came while the caller was busy): no timer to start.
        guard let id else { return true }
        let timer = Task { [self] in
            try? await Task.sleep(for: timeout)
            endWait(id)
        }
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let answer = state.withLock { state in
                    if state.raised {
                        state.raised = false
                        return true as Bool?
                    }
                    if state.endedEarly == id { return false }
                    state.waiter = (id, continuation)
                    return nil
                }
                if let answer { continuation.resume(returning: answer) }
            }
        } onCancel: {
            endWait(id)
        }
    }

    /// Raises the signal: wakes the waiting task, or the next one to wait. librdkafka's threads call it
    /// for the consumers; the application may too, for work of its own that the waiting task handles.
    /// Takes one lock and never calls librdkafka.
    public func raise() {
        let waiter = state.withLock { state in
            guard let waiter = state.waiter else {
                state.raised = true
                return nil as CheckedContinuation<Bool, Never>?
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume(returning: true)
    }

    /// Ends wait `id` unraised: now if it waits, or as soon as it starts to.
    private func endWait(_ id: UInt64) {
        let waiter = state.withLock { state in
            guard let waiter = state.waiter, waiter.id == id else {
                state.endedEarly = id
                return nil as CheckedContinuation<Bool, Never>?
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume(returning: false)
    }
}
