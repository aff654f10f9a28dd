@testable import FlowGuardKafka
import Foundation

/// Reads topics back completely and checks the answers a load driver recorded against them.
struct KafkaAudit {
    /// Where each event id was found: (topic, partition, offset) for every copy.
    static func readAll(bootstrap: String, topics: [String]) async throws -> [String: [(topic: String, partition: Int32, offset: Int64)]] {
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: bootstrap), logger: testLogger)
        let metadata = try await admin.metadata(timeout: .seconds(10))
        var assignments: [KafkaConsumer.Assignment] = []
        var remaining: [String: Int64] = [:]  // "topic/partition" -> high watermark
        for topic in topics {
            guard let described = metadata.topic(named: topic) else { continue }
            for partition in described.partitions {
                let (low, high) = try await admin.watermarks(topic: topic, partition: partition.id, timeout: .seconds(10))
                if high > low {
                    assignments.append(.init(topic: topic, partition: partition.id, offset: .exactly(low)))
                    remaining["\(topic)/\(partition.id)"] = high
                }
            }
        }
        var found: [String: [(topic: String, partition: Int32, offset: Int64)]] = [:]
        guard !assignments.isEmpty else { return found }
        let consumer = try KafkaConsumer(configuration: KafkaConfiguration(bootstrapServers: bootstrap), logger: testLogger)
        try consumer.assign(assignments)
        let deadline = ContinuousClock.now + .seconds(60)
        while !remaining.isEmpty, ContinuousClock.now < deadline {
            guard let record = try await consumer.poll(timeout: .milliseconds(200)) else { continue }
            let key = "\(record.topic)/\(record.partition)"
            if let high = remaining[key], record.offset >= high - 1 { remaining.removeValue(forKey: key) }
            guard let value = record.value,
                let object = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any],
                let eventID = object["event_id"] as? String
            else { continue }
            found[eventID, default: []].append((record.topic, record.partition, record.offset))
        }
        await consumer.close()
        return found
    }
}

/// The figures and violations of one scenario.
struct ScenarioResult: CustomStringConvertible {
    var name: String
    var sent = 0
    var acknowledged = 0
    var duplicatesAnswered = 0
    var rejected = 0
    var unavailable = 0
    var timedOut = 0
    var unanswered = 0
    var found = 0
    var lost = 0
    var duplicated = 0
    var violations: [String] = []
    var notes: [String] = []

    var description: String {
        "\(name): sent \(sent), acknowledged \(acknowledged), found \(found), lost \(lost), duplicated \(duplicated), 4xx \(rejected), 503 \(unavailable), 504 \(timedOut), unanswered \(unanswered)"
    }

    /// Checks the four promises: every 2xx stored exactly once where it was told; no 4xx stored;
    /// no 503 stored and a 504 at most once; every request answered (unless `allowUnanswered`).
    static func check(
        _ name: String, answers: [LoadAnswer], stored: [String: [(topic: String, partition: Int32, offset: Int64)]], allowUnanswered: Bool = false
    ) -> ScenarioResult {
        var result = ScenarioResult(name: name)
        var byEvent: [String: [LoadAnswer]] = [:]
        for answer in answers { byEvent[answer.eventID, default: []].append(answer) }
        result.sent = byEvent.count
        for (eventID, eventAnswers) in byEvent {
            let copies = stored[eventID] ?? []
            if copies.count > 1 { result.duplicated += 1 }
            let succeeded = eventAnswers.filter { (200..<300).contains($0.status) }
            result.duplicatesAnswered += eventAnswers.filter(\.duplicate).count
            if let success = succeeded.first {
                result.acknowledged += 1
                if copies.isEmpty {
                    result.lost += 1
                    result.violations.append("\(eventID) got \(success.status) but is not in Kafka")
                } else if copies.count > 1 {
                    result.violations.append("\(eventID) is in Kafka \(copies.count) times")
                }
                for answer in succeeded {
                    let told = (answer.topic, Int32(answer.partition ?? -1), answer.offset ?? -1)
                    if !copies.contains(where: { $0.topic == told.0 && $0.partition == told.1 && $0.offset == told.2 }) {
                        result.violations.append("\(eventID) was told \(told.0)[\(told.1)]@\(told.2) but is stored elsewhere")
                    }
                }
                continue
            }
            let statuses = Set(eventAnswers.map(\.status))
            if statuses.contains(where: { (400..<500).contains($0) }) {
                result.rejected += 1
                if !copies.isEmpty { result.violations.append("\(eventID) got a 4xx but is in Kafka") }
            } else if statuses.contains(504) {
                result.timedOut += 1
                if copies.count > 1 { result.violations.append("\(eventID) got 504 and is in Kafka \(copies.count) times") }
            } else if statuses.contains(503) {
                result.unavailable += 1
                if !copies.isEmpty { result.violations.append("\(eventID) got 503 but is in Kafka") }
            } else {
                result.unanswered += 1
                if !allowUnanswered { result.violations.append("\(eventID) got no answer") }
            }
        }
        result.found = stored.values.filter { !$0.isEmpty }.count
        return result
    }
}

/// Appends scenario figures to the file named by FLOWGUARD_RELIABILITY_REPORT (for docs/reliability.md).
enum ReliabilityReport {
    static func record(_ result: ScenarioResult) {
        guard let path = ProcessInfo.processInfo.environment["FLOWGUARD_RELIABILITY_REPORT"] else { return }
        let object: [String: Any] = [
            "scenario": result.name, "sent": result.sent, "acknowledged": result.acknowledged, "found": result.found,
            "lost": result.lost, "duplicated": result.duplicated, "rejected_4xx": result.rejected,
            "unavailable_503": result.unavailable, "timed_out_504": result.timedOut, "unanswered": result.unanswered,
            "retries_answered_duplicate": result.duplicatesAnswered, "violations": result.violations.count,
            "notes": result.notes.joined(separator: "; "),
        ]
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        line.append(0x0A)
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(line)
            try? handle.close()
        } else {
            _ = FileManager.default.createFile(atPath: path, contents: line)
        }
    }
}
