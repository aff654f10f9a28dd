import CRdKafka

extension RDKafkaClient {
    /// Lists the cluster's consumer groups (`id` nil) or describes one, with librdkafka's legacy
    /// ListGroups/DescribeGroups call, on the blocking queue.
    func groups(id: String?, timeoutMillis: Int32) async throws(KafkaError) -> [ConsumerGroup] {
        let result: Result<[ConsumerGroup], KafkaError> = await blocking { [self] in
            let handle = self.handle
            var list: UnsafePointer<rd_kafka_group_list>? = nil
            let err = rd_kafka_list_groups(handle, id, &list, timeoutMillis)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let list else {
                let what = id.map { "describing consumer group \($0)" } ?? "listing consumer groups"
                var error = KafkaError.rdKafka(err, code: .request, context: what)
                if err == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE {
                    // The brokers' ApiVersions lack ListGroups/DescribeGroups (librdkafka's embedded
                    // cluster): librdkafka refuses at once, without a request.
                    error.code = .unsupported
                    error.message = "the cluster does not answer ListGroups/DescribeGroups (librdkafka's embedded cluster does not)"
                }
                return .failure(error)
            }
            defer { rd_kafka_group_list_destroy(list) }
            let groups = (0..<Int(list.pointee.group_cnt)).map { index in
                ConsumerGroup(list.pointee.groups[index])
            }
            return .success(groups.sorted { $0.id < $1.id })
        }
        return try result.get()
    }
}

extension ConsumerGroup {
    init(_ info: rd_kafka_group_info) {
        let members = (0..<Int(info.member_cnt)).map { index in
            let member = info.members[index]
            let assignment: [UInt8] =
                member.member_assignment.map { Array(UnsafeRawBufferPointer(start: $0, count: Int(member.member_assignment_size))) } ?? []
            return Member(
                id: member.member_id.map { String(cString: $0) } ?? "",
                clientID: member.client_id.map { String(cString: $0) } ?? "",
                host: member.client_host.map { String(cString: $0) } ?? "",
                assignment: Member.decodeAssignment(assignment)
            )
        }
        self.init(
            id: info.group.map { String(cString: $0) } ?? "",
            state: info.state.map { String(cString: $0) } ?? "",
            protocolType: info.protocol_type.map { String(cString: $0) } ?? "",
            protocolName: info.protocol.map { String(cString: $0) } ?? "",
            members: members
        )
    }
}
