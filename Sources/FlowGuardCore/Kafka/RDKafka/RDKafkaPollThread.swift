import Foundation
import Synchronization

/// One dedicated thread that calls `rd_kafka_poll`, so that delivery reports, statistics and
/// errors are served without ever blocking Swift's cooperative pool.
final class RDKafkaPollThread: Sendable {
    private let client: RDKafkaClient
    private let state = Mutex<(running: Bool, stopFlag: StopFlag?)>((false, nil))

    /// The stop flag of one thread run, shared with that thread.
    private final class StopFlag: Sendable {
        let stopped = Atomic<Bool>(false)
        let done = DispatchSemaphore(value: 0)
    }

    init(client: RDKafkaClient) {
        self.client = client
    }

    func start() {
        let flag: StopFlag? = state.withLock { state in
            guard !state.running else { return nil }
            let flag = StopFlag()
            state = (true, flag)
            return flag
        }
        guard let flag else { return }
        let client = self.client
        let thread = Thread {
            while !flag.stopped.load(ordering: .relaxed) {
                client.poll(timeoutMillis: 50)
            }
            flag.done.signal()
        }
        // Linux keeps thread names to 15 bytes and ignores longer ones.
        thread.name = "fg:rdkafka-poll"
        thread.start()
    }

    func stop() {
        let flag = state.withLock { state -> StopFlag? in
            defer { state = (false, nil) }
            return state.stopFlag
        }
        guard let flag else { return }
        flag.stopped.store(true, ordering: .relaxed)
        flag.done.wait()
    }

    deinit {
        stop()
    }
}
