import FlowGuardKafka

extension Console {
    /// The consumer groups with their committed offsets and lag: those the cluster lists, or, on a
    /// cluster that cannot list groups (the embedded one), those named with `--group`, and `including`
    /// (a group's own page). Only partitions a group committed are shown.
    func groups(including extra: String? = nil) async throws(ConsoleError) -> GroupsModel {
        let snapshot = try await cluster.snapshot()
        var described: [String: ConsumerGroup] = [:]
        var partialReason: String?
        do {
            for group in try await cluster.listGroups() { described[group.id] = group }
        } catch {
            let named = configuration.groups.isEmpty ? "none was named (flowguard console --group G)" : "named: \(configuration.groups.joined(separator: ", "))"
            partialReason = error.code == .unsupported
                ? "This cluster does not answer ListGroups or DescribeGroups (librdkafka's embedded cluster cannot), so this list shows only the groups named with --group (\(named)), with their committed offsets; their state and members are unknown."
                : "Listing the groups failed (\(error.message)), so this list shows only the groups named with --group (\(named))."
        }
        var names = Set(described.keys).union(configuration.groups)
        if let extra { names.insert(extra) }

        let topics = snapshot.topics(includeInternal: false)
        let partitions = topics.flatMap { topic in topic.partitions.map { TopicPartition(topic: topic.name, partition: $0.id) } }
        let ends = snapshot.staleReason == nil ? await cluster.watermarks(partitions.map { (topic: $0.topic, partition: $0.partition) }) : [:]
        var groups: [GroupsModel.Group] = []
        for name in names.sorted() {
            let committed = try await cluster.committed(group: name, partitions: partitions)
            let description = described[name]
            groups.append(
                GroupsModel.Group(
                    id: name, state: description?.state,
                    members: description.map { group in
                        group.members.map { .init(id: $0.id, clientID: $0.clientID, host: $0.host, assignment: $0.assignment.map(\.description)) }
                    },
                    partitions: committed.keys.sorted().map { partition in
                        .init(topic: partition.topic, partition: partition.partition, committed: committed[partition], end: ends[partition]?.high ?? 0)
                    }
                )
            )
        }
        return GroupsModel(groups: groups, partialReason: partialReason, snapshot: snapshot)
    }

    /// Moves a group's committed offsets of one topic (every partition, or one), only while the group
    /// has no members (a running member would overwrite them). Where the cluster cannot describe
    /// groups, that cannot be checked; the offsets are committed all the same, and a member that is
    /// running keeps committing its own.
    /// - Returns: the new offset of each partition.
    /// - Throws: `ConsoleError`: 404 unknown topic or partition, 409 a group with members, 400 an
    ///   offset out of range, 503 Kafka did not answer.
    func resetOffsets(group: String, topic name: String, partition: Int32?, to target: ResetTarget) async throws(ConsoleError) -> [Int32: Int64] {
        let (_, topic) = try await cluster.topic(name)
        if let partition, !topic.partitions.contains(where: { $0.id == partition }) {
            throw .notFound("topic '\(name)' has no partition \(partition)")
        }
        do {
            let description = try await cluster.describeGroup(group)
            if !description.members.isEmpty {
                throw ConsoleError(.conflict, "group '\(group)' has \(description.members.count) member(s) (state \(description.state)); stop its consumers before resetting its offsets")
            }
        } catch let error as ConsoleError {
            throw error
        } catch {
            // The embedded cluster cannot describe groups: nothing to check against.
        }
        let marks = try await cluster.watermarks(of: topic)
        let ids = partition.map { [$0] } ?? marks.keys.sorted()
        var offsets: [Int32: Int64] = [:]
        switch target {
        case .earliest:
            for id in ids { offsets[id] = marks[id]!.low }
        case .latest:
            for id in ids { offsets[id] = marks[id]!.high }
        case .offset(let offset):
            for id in ids {
                let mark = marks[id]!
                guard (mark.low...mark.high).contains(offset) else {
                    throw .badRequest("offset \(offset) is out of range: \(name)[\(id)] holds offsets \(mark.low)…\(mark.high - 1) (\(mark.high) is the end)")
                }
                offsets[id] = offset
            }
        case .timestamp(let millis):
            let found = try await cluster.offsets(forTimestamp: millis, topic: name, partitions: ids)
            for id in ids { offsets[id] = found[id] ?? marks[id]!.high }
        }
        try await cluster.commit(group: group, offsets: Dictionary(uniqueKeysWithValues: offsets.map { (TopicPartition(topic: name, partition: $0.key), $0.value) }))
        logger.notice("Console: offsets reset", metadata: ["kafka.group": .string(group), "kafka.topic": .string(name), "kafka.offsets": "\(offsets.sorted { $0.key < $1.key })"])
        return offsets
    }
}
