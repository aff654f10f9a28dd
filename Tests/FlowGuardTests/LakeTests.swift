@testable import FlowGuardCLI
@testable import FlowGuardEvents
@testable import FlowGuardKafka
@testable import FlowGuardLake
@testable import FlowGuardSupport
import Foundation
import Synchronization
import Testing

@Suite("Lake: names, lines, rotation, spool, gzip and the file store of dump")
struct LakeTests {
    /// 2026-12-04T15:00:00Z.
    static let hour15: Int64 = 1_796_396_400_000

    static func record(_ offset: Int64, at millis: Int64, partition: Int32 = 3, payload: String = "x", valueTimestamp: Bool = true) -> KafkaRecord {
        let value = valueTimestamp
            ? "{\"event_id\":\"e\(offset)\",\"payload\":\"\(payload)\",\"timestamp\":\"\(RFC3339.format(millis: millis))\"}"
            : "{\"event_id\":\"e\(offset)\"}"
        return KafkaRecord(
            topic: "raw.orders.v1", partition: partition, offset: offset, timestampMillis: valueTimestamp ? 1_000 : millis,
            key: Array("k\(offset)".utf8), value: Array(value.utf8), headers: [KafkaHeader(key: "event_type", value: "order")]
        )
    }

    static func spoolDirectory() -> String {
        NSTemporaryDirectory()
    }

    static func contents(_ spool: SpoolFile) throws -> [UInt8] {
        try spool.read(offset: 0, length: spool.size)
    }

    @Test("--to: s3://BUCKET/PREFIX and file:///DIR; anything else is refused with what is expected")
    func destinations() throws {
        #expect(try LakeDestination(parsing: "s3://lake/events/raw/") == .s3(bucket: "lake", prefix: "events/raw"))
        #expect(try LakeDestination(parsing: "s3://lake") == .s3(bucket: "lake", prefix: ""))
        #expect(try LakeDestination(parsing: "file:///var/lake/") == .directory("/var/lake"))
        for bad in ["lake/events", "s3://", "s3://UPPER/x", "file://relative", "file:///", "http://x"] {
            #expect(throws: LakeError.self, "\(bad)") { try LakeDestination(parsing: bad) }
        }
    }

    @Test("an object's name: Hive folders of the event hour, topic+partition+zero-padded start; parsed back exactly")
    func objectNames() {
        let name = LakeObjectName(topic: "raw.orders.v1", partition: 3, hour: Self.hour15 / 3_600_000, startOffset: 42)
        let key = name.key(prefix: "lake/v1")
        #expect(key == "lake/v1/topic=raw.orders.v1/dt=2026-12-04/hr=15/raw.orders.v1+3+0000000000000000042.ndjson.gz")
        #expect(LakeObjectName(key: key, prefix: "lake/v1") == name)
        #expect(LakeObjectName(key: name.key(prefix: ""), prefix: "") == name)
        #expect(LakeObjectName(key: key, prefix: "other") == nil)
        for bad in [
            "topic=raw.orders.v1/dt=2026-12-04/hr=15/raw.orders.v1+3+42.ndjson.gz",  // not padded
            "topic=raw.orders.v1/dt=2026-12-04/hr=15/raw.clicks.v1+3+0000000000000000042.ndjson.gz",
            "topic=raw.orders.v1/dt=2026-12-04/raw.orders.v1+3+0000000000000000042.ndjson.gz",
            "topic=raw.orders.v1/dt=2026-12-04/hr=15/.raw.orders.v1+3+0000000000000000042.ndjson.gz.1.tmp",
        ] {
            #expect(LakeObjectName(key: bad, prefix: "") == nil, "\(bad)")
        }
        let early = LakeObjectName(topic: "t", partition: 0, hour: 10, startOffset: 5)
        #expect(early < LakeObjectName(topic: "t", partition: 0, hour: 11, startOffset: 1))
    }

    @Test("a line is exactly tail --format json's, with its event hour from the value's timestamp, else the record's")
    func lines() {
        let record = Self.record(7, at: Self.hour15 + 59 * 60_000)
        let line = LakeLine(record)
        let tail = RecordPrinter(format: .json, colour: false).line(for: record)
        #expect(line.bytes == Array((tail + "\n").utf8))
        #expect(line.hour == Self.hour15 / 3_600_000)
        let noTimestamp = LakeLine(Self.record(8, at: Self.hour15 + 3_600_000, valueTimestamp: false))
        #expect(noTimestamp.hour == Self.hour15 / 3_600_000 + 1)
        var plain = Self.record(9, at: 0)
        plain.value = Array("not json".utf8)
        plain.timestampMillis = nil
        #expect(LakeLine(plain).eventMillis == 0)
        #expect(LakeLine.floorDivide(-1, 3_600_000) == -1)
    }

    /// Feeds records (offset, minutes after 15:00) and returns the sealed segments as (reason, start, next, [names]).
    static func feed(_ records: [(Int64, Int64)], policy: RotationPolicy) throws -> [(SealedSegment, [String])] {
        var writer = PartitionWriter(topic: "raw.orders.v1", partition: 3, policy: policy, spoolDirectory: spoolDirectory())
        var sealed: [SealedSegment] = []
        for (offset, minutes) in records {
            sealed += try writer.add(LakeLine(record(offset, at: hour15 + minutes * 60_000)), offset: offset, now: .now)
        }
        return sealed.map { ($0, $0.objects.map { $0.name.description }) }
    }

    @Test("rotation: a segment is sealed at --max-records, at --max-bytes, and before the first record of a later hour")
    func rotationRules() throws {
        let byCount = try Self.feed((0..<7).map { ($0, 1) }, policy: RotationPolicy(maxRecords: 3))
        #expect(byCount.map { $0.0.startOffset } == [0, 3])
        #expect(byCount.map { $0.0.nextOffset } == [3, 6])
        #expect(byCount.allSatisfy { $0.0.reason == .records })
        #expect(byCount[1].1 == ["topic=raw.orders.v1/dt=2026-12-04/hr=15/raw.orders.v1+3+0000000000000000003.ndjson.gz"])

        let lineSize = LakeLine(Self.record(0, at: Self.hour15 + 60_000)).bytes.count
        let byBytes = try Self.feed((0..<5).map { ($0, 1) }, policy: RotationPolicy(maxBytes: 2 * lineSize))
        #expect(byBytes.map { $0.0.nextOffset } == [2, 4])
        #expect(byBytes.allSatisfy { $0.0.reason == .bytes })

        // 15:59 then 16:00: the hour turned, so the segment is sealed before offset 2.
        let byHour = try Self.feed([(0, 58), (1, 59), (2, 60), (3, 61)], policy: RotationPolicy(maxRecords: 100))
        #expect(byHour.count == 1)
        #expect(byHour[0].0.reason == .hour)
        #expect(byHour[0].0.nextOffset == 2)
    }

    @Test("a late record goes to its own hour in an object named by its own offset; the hour's earlier object is not reopened")
    func lateRecords() throws {
        // 15:10, 15:20, 16:05 (seals 15:xx), 15:50 (late: hour 15 again), 16:10, then 17:00 seals.
        let sealed = try Self.feed([(0, 10), (1, 20), (2, 65), (3, 50), (4, 70), (5, 120)], policy: RotationPolicy(maxRecords: 100))
        #expect(sealed.count == 2)
        #expect(sealed[0].1 == ["topic=raw.orders.v1/dt=2026-12-04/hr=15/raw.orders.v1+3+0000000000000000000.ndjson.gz"])
        #expect(sealed[1].1 == [
            "topic=raw.orders.v1/dt=2026-12-04/hr=15/raw.orders.v1+3+0000000000000000003.ndjson.gz",
            "topic=raw.orders.v1/dt=2026-12-04/hr=16/raw.orders.v1+3+0000000000000000002.ndjson.gz",
        ])
        #expect(sealed[1].0.objects.map(\.records) == [1, 2])
        #expect(sealed[1].0.startOffset == 2)
        #expect(sealed[1].0.nextOffset == 5)
    }

    @Test("a record of one hour too many seals the segment first (--max-objects bound on open files)")
    func objectLimit() throws {
        // 16:00 first, then ever earlier hours, each late: the third distinct hour seals.
        let sealed = try Self.feed([(0, 60), (1, 0), (2, -60), (3, -120)], policy: RotationPolicy(maxRecords: 100, maxObjects: 3))
        #expect(sealed.count == 1)
        #expect(sealed[0].0.reason == .objects)
        #expect(sealed[0].0.nextOffset == 3)
    }

    @Test("replaying a partition from a committed segment start seals the same objects with the same bytes")
    func replayIsIdentical() throws {
        let records: [(Int64, Int64)] = (0..<40).map { ($0, [5, 30, 59, 61, 62, 20, 90][Int($0) % 7] + $0) }
        let policy = RotationPolicy(maxRecords: 6, maxBytes: 1 << 20)
        let first = try Self.feed(records, policy: policy)
        // A restart from the start of the third segment (its committed offset).
        let restart = first[2].0.startOffset
        let second = try Self.feed(records.filter { $0.0 >= restart }, policy: policy)
        #expect(second.count == first.count - 2)
        for (a, b) in zip(first.dropFirst(2), second) {
            #expect(a.1 == b.1)
            #expect(a.0.nextOffset == b.0.nextOffset)
            for (objectA, objectB) in zip(a.0.objects, b.0.objects) {
                #expect(try Self.contents(objectA.spool) == Self.contents(objectB.spool))
                #expect(try Self.contents(Gzip.compress(objectA.spool, directory: Self.spoolDirectory()))
                    == Self.contents(Gzip.compress(objectB.spool, directory: Self.spoolDirectory())))
            }
        }
    }

    @Test("an age-sealed segment, replayed with more records, keeps every name it had and holds a superset")
    func ageSealIsASubsetOfTheReplay() throws {
        let policy = RotationPolicy(maxRecords: 100, maxAge: .seconds(60))
        var writer = PartitionWriter(topic: "raw.orders.v1", partition: 3, policy: policy, spoolDirectory: Self.spoolDirectory())
        let start = ContinuousClock.now
        for offset in Int64(0)..<4 {
            #expect(try writer.add(LakeLine(Self.record(offset, at: Self.hour15 + offset * 60_000 - (offset == 2 ? 3_600_000 : 0))), offset: offset, now: start).isEmpty)
        }
        let early = writer.sealIfOld(now: start + .seconds(59))
        #expect(early == nil)
        let sealed = writer.sealIfOld(now: start + .seconds(60))
        let aged = try #require(sealed)
        #expect(aged.reason == .age)
        #expect(aged.nextOffset == 4)
        let replay = try Self.feed((0..<7).map { ($0, $0 == 2 ? $0 - 60 : $0) }, policy: policy)
        #expect(replay.isEmpty)  // nothing sealed yet: the replay's segment is still open and larger
        var replayWriter = PartitionWriter(topic: "raw.orders.v1", partition: 3, policy: policy, spoolDirectory: Self.spoolDirectory())
        for offset in Int64(0)..<7 {
            _ = try replayWriter.add(LakeLine(Self.record(offset, at: Self.hour15 + offset * 60_000 - (offset == 2 ? 3_600_000 : 0))), offset: offset, now: start)
        }
        let replaySealed = replayWriter.sealIfOld(now: start + .seconds(600))
        let superset = try #require(replaySealed)
        #expect(Set(aged.objects.map(\.name)).isSubset(of: Set(superset.objects.map(\.name))))
        for object in aged.objects {
            let bigger = try #require(superset.objects.first { $0.name == object.name })
            let small = try Self.contents(object.spool)
            #expect(Array(try Self.contents(bigger.spool).prefix(small.count)) == small)
        }
    }

    @Test("gzip: the same lines make the same bytes at each level; decompressing gives them back; a cut-off object is refused")
    func gzipRoundTrip() throws {
        let spool = try SpoolFile(directory: Self.spoolDirectory())
        var expected: [UInt8] = []
        for offset in Int64(0)..<30_000 {
            let line = LakeLine(Self.record(offset, at: Self.hour15, payload: String(repeating: "p", count: Int(offset % 97)))).bytes
            try spool.append(line)
            expected += line
        }
        #expect(spool.size == expected.count)
        let first = try Self.contents(Gzip.compress(spool, directory: Self.spoolDirectory()))
        let second = try Self.contents(Gzip.compress(spool, directory: Self.spoolDirectory()))
        #expect(first == second)
        #expect(first.count < expected.count / 4)
        #expect(Array(first.prefix(3)) == [0x1F, 0x8B, 0x08])
        #expect(try Gzip.decompress(first) == expected)
        #expect(throws: LakeError.self) { try Gzip.decompress(Array(first.dropLast(100))) }
        #expect(throws: LakeError.self) { try Gzip.decompress(Array("plain".utf8)) }
        // --gzip-level: another level makes other bytes of the same lines, the same at every run.
        let fastest = try Self.contents(Gzip.compress(spool, directory: Self.spoolDirectory(), level: 1))
        let smallest = try Self.contents(Gzip.compress(spool, directory: Self.spoolDirectory(), level: 9))
        #expect(fastest == (try Self.contents(Gzip.compress(spool, directory: Self.spoolDirectory(), level: 1))))
        #expect(fastest.count > first.count && fastest.count > smallest.count, "sizes at levels 1, 6, 9: \(fastest.count), \(first.count), \(smallest.count)")
        #expect(try Gzip.decompress(fastest) == expected)
        #expect(try Gzip.decompress(smallest) == expected)
    }

    @Test("the file store writes whole objects by rename, lists them by prefix and reads them back")
    func fileStore() async throws {
        let root = NSTemporaryDirectory() + "lake-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = FileLakeStore(root: root)
        try await store.prepare()
        let spool = try SpoolFile(directory: Self.spoolDirectory())
        try spool.append(Array("first".utf8))
        let key = LakeObjectName(topic: "t", partition: 0, hour: 10, startOffset: 0).key(prefix: "")
        try await store.store(key: key, file: spool)
        try spool.append(Array(" and more".utf8))
        try await store.store(key: key, file: spool)
        #expect(try await store.list(prefix: "topic=t/") == [key])
        #expect(try await store.list(prefix: "topic=other/") == [])
        #expect(String(decoding: try await store.read(key: key), as: UTF8.self) == "first and more")
        let folder = root + "/" + key.split(separator: "/").dropLast().joined(separator: "/")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [String(key.split(separator: "/").last!)])
    }

    @Test("the upload gate hands a released permit to the oldest waiter; a cancelled waiter leaves without one")
    func uploadGate() async throws {
        let gate = UploadGate(limit: 1)
        try await gate.acquire()
        let order = GateLog()
        func waiter(_ name: String, queuedBefore: Int) async throws -> Task<Void, any Error> {
            let task = Task {
                try await gate.acquire()
                order.names.withLock { $0.append(name) }
            }
            try await Self.until { gate.waiting == queuedBefore + 1 }
            return task
        }
        let first = try await waiter("first", queuedBefore: 0)
        let second = try await waiter("second", queuedBefore: 1)
        let third = try await waiter("third", queuedBefore: 2)
        third.cancel()
        await #expect(throws: LakeError.self) { try await third.value }
        #expect(gate.waiting == 2)

        gate.release()
        try await first.value
        #expect(order.names.withLock { $0 } == ["first"])
        gate.release()
        try await second.value
        #expect(order.names.withLock { $0 } == ["first", "second"])
        // The cancelled waiter took no permit: the one left is free after its release, and only one.
        gate.release()
        try await gate.acquire()
        let late = try await waiter("late", queuedBefore: 0)
        gate.release()
        try await late.value
        #expect(order.names.withLock { $0 } == ["first", "second", "late"])
    }

    /// Waits until `condition` holds, at most 10 s.
    static func until(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw LakeError("condition not met in 10 s") }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    @Test("--max-bytes sizes: binary and decimal units, or plain bytes")
    func byteSizes() {
        #expect(DumpCommand.parseByteSize("64MiB") == 64 << 20)
        #expect(DumpCommand.parseByteSize("500KB") == 500_000)
        #expect(DumpCommand.parseByteSize("1GiB") == 1 << 30)
        #expect(DumpCommand.parseByteSize("1048576") == 1_048_576)
        #expect(DumpCommand.parseByteSize("12B") == 12)
        #expect(DumpCommand.parseByteSize("lots") == nil)
        #expect(DumpCommand.parseByteSize("-1MiB") == nil)
    }
}

/// The order in which the upload gate's waiters got their permits.
private final class GateLog: Sendable {
    let names = Mutex<[String]>([])
}
