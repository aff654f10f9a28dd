extension Console {
    /// The consumer groups: those the cluster lists, or those named with `--group` when it cannot
    /// list them; `including` adds one more name to look up (a group's own page).
    func groups(including extra: String? = nil) async throws(ConsoleError) -> GroupsModel {
        let snapshot = try await cluster.snapshot()
        var names = configuration.groups
        if let extra, !names.contains(extra) { names.append(extra) }
        return GroupsModel(
            groups: names.map { .init(id: $0, state: nil, members: nil, partitions: []) },
            partialReason: "Committed offsets are not read by this build yet.", snapshot: snapshot
        )
    }

    /// Moves a group's committed offsets of one topic (all its partitions, or one).
    func resetOffsets(group: String, topic: String, partition: Int32?, to target: ResetTarget) async throws(ConsoleError) -> [Int32: Int64] {
        throw ConsoleError(.notImplemented, "offset reset is not in this build yet")
    }
}
