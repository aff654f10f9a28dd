@testable import FlowGuardGateway
@testable import FlowGuardKafka
import Foundation
import Testing

/// Memory of the deduplication window at its default capacity. A measurement, not an assertion:
/// it runs only with FLOWGUARD_BENCH=1 (`make bench`) and prints the figure.
@Suite("Benchmarks", .enabled(if: ProcessInfo.processInfo.environment["FLOWGUARD_BENCH"] != nil))
struct DeduplicationMemoryBenchmark {
    static func residentKiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    @Test("deduplication window: resident memory for 1,000,000 remembered event ids")
    func oneMillionIDs() async {
        let capacity = 1_000_000
        let window = DeduplicationWindow(window: .seconds(900), capacity: capacity)
        let before = Self.residentKiB()
        let started = ContinuousClock.now
        for index in 0..<(capacity + 100_000) {
            let eventID = "evt-\(index)-0123456789abcdef"
            let key = DeduplicationWindow.key(kind: .order, eventID: eventID)
            guard case .new = await window.begin(key: key, content: .init(Array(eventID.utf8)), topic: "raw.orders.v1") else { continue }
            window.complete(key: key, report: DeliveryReport(topic: "raw.orders.v1", partition: Int32(index % 3), offset: Int64(index)))
        }
        let elapsed = ContinuousClock.now - started
        let after = Self.residentKiB()
        let perEntry = Double(after - before) * 1024 / Double(window.count)
        let line = "BENCH dedup entries=\(window.count) rss_delta_mib=\((after - before) / 1024) bytes_per_entry=\(Int(perEntry)) ns_per_event=\(elapsed.nanoseconds / Int64(capacity + 100_000))"
        print(line)
        if let path = ProcessInfo.processInfo.environment["FLOWGUARD_BENCH_OUT"] {
            try? (line + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(window.count == capacity)
    }
}
