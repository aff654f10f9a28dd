import FlowGuardKafka

/// The records of one partition since its last seal, spooled per event hour: the objects to be.
///
/// A segment runs from the first record after a seal to the next seal. Each event hour it holds becomes
/// one object, named by the hour and the offset of the hour's first record in the segment. The dumper
/// commits a partition only at the end of a stored segment, so a restart always begins a segment.
package final class OpenSegment: @unchecked Sendable {
    package let topic: String
    package let partition: Int32
    package let startOffset: Int64
    /// The offset after the last record: what the commit is once the segment is stored.
    package private(set) var nextOffset: Int64
    package private(set) var records = 0
    package private(set) var bytes = 0
    /// The latest event hour in the segment.
    package private(set) var latestHour: Int64
    package let openedAt: ContinuousClock.Instant
    private(set) var objects: [Int64: OpenObject] = [:]

    struct OpenObject {
        let name: LakeObjectName
        let spool: SpoolFile
        var records: Int
    }

    init(topic: String, partition: Int32, startOffset: Int64, hour: Int64, openedAt: ContinuousClock.Instant) {
        self.topic = topic
        self.partition = partition
        self.startOffset = startOffset
        self.nextOffset = startOffset
        self.latestHour = hour
        self.openedAt = openedAt
    }

    var objectCount: Int { objects.count }

    func append(_ line: LakeLine, offset: Int64, spoolDirectory: String) throws(LakeError) {
        let hour = line.hour
        if objects[hour] == nil {
            let name = LakeObjectName(topic: topic, partition: partition, hour: hour, startOffset: offset)
            objects[hour] = OpenObject(name: name, spool: try SpoolFile(directory: spoolDirectory), records: 0)
        }
        try objects[hour]!.spool.append(line.bytes)
        objects[hour]!.records += 1
        records += 1
        bytes += line.bytes.count
        latestHour = max(latestHour, hour)
        nextOffset = offset + 1
    }

    func seal(_ reason: SealReason) -> SealedSegment {
        SealedSegment(
            topic: topic, partition: partition, startOffset: startOffset, nextOffset: nextOffset, records: records, bytes: bytes,
            reason: reason,
            objects: objects.values.sorted { $0.name < $1.name }.map { SealedSegment.Object(name: $0.name, spool: $0.spool, records: $0.records) }
        )
    }
}

/// A segment that takes no more records: its objects wait to be compressed, stored and committed.
package struct SealedSegment: Sendable {
    package var topic: String
    package var partition: Int32
    package var startOffset: Int64
    package var nextOffset: Int64
    package var records: Int
    package var bytes: Int
    package var reason: SealReason
    package var objects: [Object]

    package struct Object: Sendable {
        package var name: LakeObjectName
        package var spool: SpoolFile
        package var records: Int
    }
}

/// Cuts one partition's records into segments by the rotation policy.
package struct PartitionWriter: Sendable {
    package let topic: String
    package let partition: Int32
    let policy: RotationPolicy
    let spoolDirectory: String
    package private(set) var open: OpenSegment?

    package init(topic: String, partition: Int32, policy: RotationPolicy, spoolDirectory: String) {
        self.topic = topic
        self.partition = partition
        self.policy = policy
        self.spoolDirectory = spoolDirectory
    }

    /// Adds a record and returns the segments it sealed (before it, after it, or both).
    ///
    /// Before: a record of a later event hour than any in the segment starts a new segment (the hour has
    /// turned), and so does one that would open one object too many. After: the segment is sealed when it
    /// reaches `maxRecords` records or `maxBytes` bytes.
    package mutating func add(_ line: LakeLine, offset: Int64, now: ContinuousClock.Instant) throws(LakeError) -> [SealedSegment] {
        var sealed: [SealedSegment] = []
        let hour = line.hour
        if let segment = open {
            if hour > segment.latestHour {
                sealed.append(segment.seal(.hour))
                open = nil
            } else if segment.objects[hour] == nil && segment.objectCount >= policy.maxObjects {
                sealed.append(segment.seal(.objects))
                open = nil
            }
        }
        let segment = open ?? OpenSegment(topic: topic, partition: partition, startOffset: offset, hour: hour, openedAt: now)
        try segment.append(line, offset: offset, spoolDirectory: spoolDirectory)
        open = segment
        if segment.records >= policy.maxRecords {
            sealed.append(segment.seal(.records))
            open = nil
        } else if segment.bytes >= policy.maxBytes {
            sealed.append(segment.seal(.bytes))
            open = nil
        }
        return sealed
    }

    /// Seals the open segment when it has been open for `maxAge`.
    package mutating func sealIfOld(now: ContinuousClock.Instant) -> SealedSegment? {
        guard let segment = open, now - segment.openedAt >= policy.maxAge else { return nil }
        open = nil
        return segment.seal(.age)
    }

    /// Drops the open segment (its spool files go with it); a restart reads its records again.
    package mutating func abandon() {
        open = nil
    }
}
