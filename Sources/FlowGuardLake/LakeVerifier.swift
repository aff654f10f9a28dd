import FlowGuardEvents
import FlowGuardJSON
import FlowGuardKafka
import FlowGuardSupport
import Logging

/// `dump --verify`: reads the lake back and compares it with Kafka, record by record.
///
/// For every partition of the topics it checks the offsets from the oldest Kafka still holds up to the
/// group's committed offset: each must be in the lake exactly once, in an object of the right name (topic,
/// partition, event hour, first offset), with the very line `tail --format json` prints for it. Lines past
/// the committed offset are counted (a restart rewrites them as they are) but must still be unique, and
/// a line past the end of the partition, or in no partition of the topic, is extra.
package struct LakeVerifier: Sendable {
    let store: any LakeStore
    let kafka: KafkaConfiguration
    let groupID: String
    let topics: [String]
    let logger: Logger
    let timeout: Duration

    package init(store: any LakeStore, kafka: KafkaConfiguration, groupID: String, topics: [String], logger: Logger, timeout: Duration = .seconds(30)) {
        self.store = store
        self.kafka = kafka
        self.groupID = groupID
        self.topics = topics
        self.logger = logger
        self.timeout = timeout
    }

    /// One partition's counts.
    package struct PartitionReport: Sendable {
        package var partition: TopicPartition
        package var low: Int64 = 0
        package var committed: Int64 = 0
        package var high: Int64 = 0
        package var checked = 0
        package var missing = 0
        package var duplicated = 0
        package var mismatched = 0
        package var extra = 0
        package var ahead = 0
    }

    package struct Report: Sendable {
        package var partitions: [PartitionReport] = []
        package var objects = 0
        package var lakeRecords = 0
        /// The first problems found, each one line.
        package var problems: [String] = []
        package var problemCount = 0

        package var isClean: Bool { problemCount == 0 }

        mutating func problem(_ text: String) {
            problemCount += 1
            if problems.count < 20 { problems.append(text) }
        }

        /// The summary `dump --verify` prints.
        package var lines: [String] {
            var lines: [String] = []
            for report in partitions {
                var line = "\(report.partition): offsets \(report.low)..<\(report.committed) (committed; end \(report.high)): \(report.checked) checked"
                for (count, label) in [(report.missing, "missing"), (report.duplicated, "duplicated"), (report.mismatched, "different"), (report.extra, "extra"), (report.ahead, "ahead of the commit")] where count > 0 {
                    line += ", \(count) \(label)"
                }
                lines.append(line)
            }
            lines += problems.map { "  \($0)" }
            if problemCount > problems.count { lines.append("  ... and \(problemCount - problems.count) more") }
            let expected = partitions.reduce(0) { $0 + Int($1.committed - $1.low) }
            lines.append(isClean
                ? "OK: \(expected) records of \(partitions.count) partitions each in the lake exactly once (\(objects) objects, \(lakeRecords) lines)"
                : "FAILED: \(problemCount) problem(s) in \(objects) objects, \(lakeRecords) lines, \(expected) records expected")
            return lines
        }
    }

    /// What the lake holds for one partition: each offset's line hash and how often it appears.
    private struct Seen {
        var hash: Int
        var count: Int
        var key: String
    }

    package func run() async throws(LakeError) -> Report {
        var report = Report()
        let admin: KafkaAdmin
        let metadata: ClusterMetadata
        do {
            admin = try KafkaAdmin(configuration: kafka, logger: logger)
            metadata = try await admin.metadata(timeout: timeout)
        } catch {
            throw LakeError("Kafka did not answer: \(error.message)")
        }
        var partitions: [TopicPartition] = []
        for topic in topics {
            guard let described = metadata.topic(named: topic) else { throw LakeError("topic '\(topic)' does not exist") }
            partitions += described.partitions.map { TopicPartition(topic: topic, partition: $0.id) }
        }
        partitions.sort()

        // The lake.
        var lake: [TopicPartition: [Int64: Seen]] = [:]
        for topic in topics {
            let prefix = store.destination.keyPrefix.isEmpty ? "topic=\(topic)/" : "\(store.destination.keyPrefix)/topic=\(topic)/"
            for key in try await store.list(prefix: prefix) {
                guard let name = LakeObjectName(key: key, prefix: store.destination.keyPrefix), name.topic == topic else {
                    report.problem("\(key): not an object name of the layout")
                    continue
                }
                report.objects += 1
                try await readObject(key: key, name: name, into: &lake, report: &report)
            }
        }

        // Kafka's ends and the group's commits.
        var committed: [TopicPartition: Int64] = [:]
        do {
            let groupReader = try KafkaConsumer(configuration: kafka, groupID: groupID, autoCommit: false, logger: logger)
            committed = try await groupReader.committed(partitions, timeout: timeout)
            await groupReader.close()
        } catch {
            throw LakeError("cannot read the committed offsets of group '\(groupID)': \(error.message)")
        }
        var reports: [TopicPartition: PartitionReport] = [:]
        for partition in partitions {
            var partitionReport = PartitionReport(partition: partition)
            do {
                let marks = try await admin.watermarks(topic: partition.topic, partition: partition.partition, timeout: timeout)
                partitionReport.low = marks.low
                partitionReport.high = marks.high
            } catch {
                throw LakeError("cannot read the offsets of \(partition): \(error.message)")
            }
            partitionReport.committed = min(max(committed[partition] ?? partitionReport.low, partitionReport.low), partitionReport.high)
            reports[partition] = partitionReport
        }

        // Kafka's records, compared with the lake's lines.
        let wanted = reports.values.filter { $0.committed > $0.low }
        if !wanted.isEmpty {
            do {
                let reader = try KafkaConsumer(configuration: kafka, logger: logger)
                try reader.assign(wanted.map { .init(topic: $0.partition.topic, partition: $0.partition.partition, offset: .exactly($0.low)) })
                var remaining = Set(wanted.map(\.partition))
                var lastRecord = ContinuousClock.now
                while !remaining.isEmpty && ContinuousClock.now - lastRecord < timeout {
                    guard let record = try await reader.poll(timeout: .milliseconds(200)) else { continue }
                    lastRecord = .now
                    let partition = TopicPartition(topic: record.topic, partition: record.partition)
                    guard var partitionReport = reports[partition] else { continue }
                    guard record.offset < partitionReport.committed else {
                        remaining.remove(partition)
                        continue
                    }
                    let hash = Self.hash(record.jsonLine)
                    if let seen = lake[partition]?.removeValue(forKey: record.offset) {
                        partitionReport.checked += 1
                        if seen.count > 1 {
                            partitionReport.duplicated += 1
                            report.problem("\(partition)@\(record.offset): \(seen.count) times in the lake (last in \(seen.key))")
                        }
                        if seen.hash != hash {
                            partitionReport.mismatched += 1
                            report.problem("\(partition)@\(record.offset): the line in \(seen.key) differs from the record in Kafka")
                        }
                    } else {
                        partitionReport.missing += 1
                        report.problem("\(partition)@\(record.offset): not in the lake")
                    }
                    reports[partition] = partitionReport
                    if record.offset + 1 >= partitionReport.committed { remaining.remove(partition) }
                }
                await reader.close()
                for partition in remaining {
                    report.problem("\(partition): Kafka returned no records up to the committed offset within \(timeout)")
                    reports[partition]!.missing += 1
                }
            } catch {
                throw LakeError("cannot read Kafka: \(error.message)")
            }
        }

        // What is left in the lake was not in the compared range.
        for (partition, offsets) in lake {
            guard var partitionReport = reports[partition] else {
                report.problem("\(partition): in the lake, but the topic has no such partition")
                continue
            }
            for (offset, seen) in offsets {
                if seen.count > 1 {
                    partitionReport.duplicated += 1
                    report.problem("\(partition)@\(offset): \(seen.count) times in the lake (last in \(seen.key))")
                }
                if offset >= partitionReport.high || (offset >= partitionReport.low && offset < partitionReport.committed) {
                    partitionReport.extra += 1
                    report.problem("\(partition)@\(offset): in the lake (\(seen.key)) but not in Kafka")
                } else if offset >= partitionReport.committed {
                    partitionReport.ahead += 1
                }
            }
            reports[partition] = partitionReport
        }
        report.partitions = reports.values.sorted { $0.partition < $1.partition }
        return report
    }

    private func readObject(key: String, name: LakeObjectName, into lake: inout [TopicPartition: [Int64: Seen]], report: inout Report) async throws(LakeError) {
        let bytes: [UInt8]
        do {
            bytes = try Gzip.decompress(try await store.read(key: key))
        } catch {
            report.problem("\(key): \(error.message)")
            return
        }
        guard bytes.last == UInt8(ascii: "\n") else {
            report.problem("\(key): the last line is not complete")
            return
        }
        let partition = TopicPartition(topic: name.topic, partition: name.partition)
        var first = true
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast() {
            report.lakeRecords += 1
            guard case .object(let object)? = try? JSONParser.parse(Array(line)),
                  case .string(let topic)? = object["topic"], case .number(let partitionNumber)? = object["partition"],
                  case .number(let offsetNumber)? = object["offset"], let offset = Int64(offsetNumber.lexeme)
            else {
                report.problem("\(key): a line that is not a record")
                continue
            }
            if topic != name.topic || Int32(partitionNumber.lexeme) != name.partition {
                report.problem("\(key): holds a record of \(topic)[\(partitionNumber.lexeme)]")
            }
            if first && offset != name.startOffset {
                report.problem("\(key): starts at offset \(offset), not at its name's \(name.startOffset)")
            }
            first = false
            if LakeLine.floorDivide(Self.eventMillis(object), 3_600_000) != name.hour {
                report.problem("\(key): offset \(offset) belongs to another hour")
            }
            let hash = Self.hash(Array(line))
            if var seen = lake[partition]?[offset] {
                seen.count += 1
                seen.key = key
                lake[partition]![offset] = seen
            } else {
                lake[partition, default: [:]][offset] = Seen(hash: hash, count: 1, key: key)
            }
        }
    }

    /// The event time of a stored line, by the rule `LakeLine` files it by.
    static func eventMillis(_ object: JSONObject) -> Int64 {
        if case .object(let value)? = object["value"], case .string(let text)? = value["timestamp"], let millis = try? RFC3339.parse(text) {
            return millis
        }
        if case .string(let text)? = object["timestamp"], let millis = try? RFC3339.parse(text) {
            return millis
        }
        return 0
    }

    /// A hash of a line, to compare lines without keeping them (the seed is per process; both sides are hashed here).
    static func hash(_ bytes: [UInt8]) -> Int {
        var hasher = Hasher()
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        return hasher.finalize()
    }
}
