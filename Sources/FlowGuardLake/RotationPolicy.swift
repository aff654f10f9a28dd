/// When an open segment of a partition is sealed into objects.
///
/// Every rule but `maxAge` reads only the records themselves, so replaying a partition from a segment's
/// first offset seals it at the same record. `maxAge` is the one wall-clock rule; docs/dump.md says why it
/// still cannot duplicate a record.
package struct RotationPolicy: Sendable, Equatable {
    /// Records in a segment (across its objects).
    package var maxRecords: Int
    /// Uncompressed bytes of the lines in a segment.
    package var maxBytes: Int
    /// How long a segment may stay open after its first record arrived (wall clock).
    package var maxAge: Duration
    /// Objects (event hours) one segment may hold open at once; a record of one more hour seals it first.
    package var maxObjects: Int

    package init(maxRecords: Int = 100_000, maxBytes: Int = 64 << 20, maxAge: Duration = .seconds(300), maxObjects: Int = 24) {
        self.maxRecords = maxRecords
        self.maxBytes = maxBytes
        self.maxAge = maxAge
        self.maxObjects = maxObjects
    }
}

/// Why a segment was sealed (a label of the objects metric and the logs).
package enum SealReason: String, Sendable, CaseIterable {
    case records, bytes, hour, objects, age
}
