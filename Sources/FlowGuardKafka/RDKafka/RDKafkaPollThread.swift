import FlowGuardSupport
import Synchronization

/// One dedicated thread that calls `rd_kafka_poll`, so that delivery reports, statistics and
/// errors are served without ever blocking Swift's cooperative pool.
final class RDKafkaPollThread: Sendable {
    private let client: RDKafkaClient
    private let running = Mutex<(thread: PosixThread, stop: StopFlag)?>(nil)

    /// The stop flag of one thread run, shared with that thread.
    private final class StopFlag: Sendable {
        let stopped = Atomic<Bool>(false)
    }

    init(client: RDKafkaClient) {
        self.client = client
    }

    func start() {
        let client = self.client
        running.withLock { running in
            guard running == nil else { return }
            let flag = StopFlag()
            // Linux keeps thread names to 15 bytes; this one fits.
            let thread = PosixThread(name: "fg:rdkafka-poll") {
                while !flag.stopped.load(ordering: .relaxed) {
                    client.poll(timeoutMillis: 50)
                }
            }
            running = (thread, flag)
        }
    }

    /// Stops the thread and waits until its last poll has returned.
    func stop() {
        let current = running.withLock { running in
            defer { running = nil }
            return running
        }
        guard let current else { return }
        current.stop.stopped.store(true, ordering: .relaxed)
        current.thread.join()
    }

    deinit {
        stop()
    }
}
