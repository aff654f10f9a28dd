/// Consumer groups with their committed offsets and lag (page and `/api/groups` alike).
package struct GroupsModel: Sendable {
    package struct Member: Sendable {
        package var id: String
        package var clientID: String
        package var host: String
        package var assignment: [String]
    }

    package struct PartitionOffsets: Sendable {
        package var topic: String
        package var partition: Int32
        /// The group's committed offset (the next one it reads); nil when it committed none here.
        package var committed: Int64?
        /// The partition's high watermark.
        package var end: Int64
        /// `end - committed`; nil without a committed offset.
        package var lag: Int64? { committed.map { max(0, end - $0) } }
    }

    package struct Group: Sendable {
        package var id: String
        /// The group's state (`Stable`, `Empty`…); nil when the cluster cannot describe groups.
        package var state: String?
        /// Its members; nil when the cluster cannot describe groups.
        package var members: [Member]?
        package var partitions: [PartitionOffsets]
        package var totalLag: Int64 { partitions.compactMap(\.lag).reduce(0, +) }
    }

    package var groups: [Group]
    /// Why the list may lack groups (a cluster without ListGroups), or nil when it is complete.
    package var partialReason: String?
    package var snapshot: ClusterSnapshot
}

/// Where an offset reset moves a group.
package enum ResetTarget: Sendable, Equatable {
    case earliest
    case latest
    case timestamp(Int64)
    case offset(Int64)
}
