/// When to try an S3 call again: exponential backoff with full jitter, for retriable failures only.
package struct S3RetryPolicy: Sendable {
    /// The first wait; each later one doubles, up to `maxDelay`.
    package var baseDelay: Duration
    package var maxDelay: Duration
    /// Attempts in all; nil tries until the call succeeds, fails for good, or the task is cancelled.
    package var maxAttempts: Int?

    package init(baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(20), maxAttempts: Int? = nil) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxAttempts = maxAttempts
    }

    /// The wait before attempt `attempt + 1` (attempt counts from 1): uniform in 0...min(max, base * 2^(attempt-1)).
    package func delay<G: RandomNumberGenerator>(afterAttempt attempt: Int, using generator: inout G) -> Duration {
        let ceiling = min(maxDelay, baseDelay * (1 << min(attempt - 1, 20)))
        let millis = max(ceiling.milliseconds, 1)
        return .milliseconds(Int64.random(in: 0...millis, using: &generator))
    }

    /// Runs `operation` until it succeeds, fails with a non-retriable error, runs out of attempts, or the
    /// task is cancelled (then the last error is thrown).
    /// - Parameter onRetry: told of each failure that will be retried and the wait before the retry.
    package func run<T: Sendable>(
        _ operation: () async throws(S3Error) -> T,
        onRetry: (S3Error, Int, Duration) -> Void = { _, _, _ in }
    ) async throws(S3Error) -> T {
        var generator = SystemRandomNumberGenerator()
        var attempt = 1
        while true {
            do {
                return try await operation()
            } catch {
                guard error.isRetriable, maxAttempts.map({ attempt < $0 }) ?? true, !Task.isCancelled else { throw error }
                let wait = delay(afterAttempt: attempt, using: &generator)
                onRetry(error, attempt, wait)
                do {
                    try await Task.sleep(for: wait)
                } catch {
                    throw S3Error(status: nil, code: nil, message: "cancelled while waiting to retry", operation: "retry")
                }
                attempt += 1
            }
        }
    }
}
