import FlowGuardEvents
import FlowGuardJSON
import FlowGuardKafka
import FlowGuardSupport

/// The API's JSON of each model: the same figures the pages show.
extension ClusterSnapshot {
    /// `{"fetched_at","age_seconds","stale","stale_reason"}`: how old the metadata behind an answer is.
    package var json: JSONValue {
        [
            "fetched_at": .string(RFC3339.format(millis: fetchedAtMillis)),
            "age_seconds": .number(JSONNumber(ageSeconds)),
            "stale": .bool(staleReason != nil),
            "stale_reason": staleReason.map(JSONValue.string) ?? .null,
        ]
    }
}

extension OverviewModel {
    package var json: JSONValue {
        [
            "bootstrap": .string(bootstrap),
            "brokers": .array(brokers.map { ["id": .number(JSONNumber(Int64($0.id))), "address": .string($0.address), "reachable": .bool($0.reachable)] }),
            "topics": .number(JSONNumber(Int64(topics))),
            "partitions": .number(JSONNumber(Int64(partitions))),
            "messages": .number(JSONNumber(messages)),
            "under_replicated_partitions": .number(JSONNumber(Int64(underReplicated))),
            "leaderless_partitions": .number(JSONNumber(Int64(leaderless))),
            "gateway": gateway.map {
                ["url": .string($0.url), "status": $0.status.map { .number(JSONNumber(Int64($0))) } ?? .null, "detail": .string($0.detail)]
            } ?? .null,
            "metadata": snapshot.json,
        ]
    }
}

extension TopicSummary {
    package var json: JSONValue {
        [
            "name": .string(name),
            "partitions": .number(JSONNumber(Int64(partitions))),
            "replication": .number(JSONNumber(Int64(replication))),
            "under_replicated_partitions": .number(JSONNumber(Int64(underReplicated))),
            "low": .number(JSONNumber(low)),
            "high": .number(JSONNumber(high)),
            "messages": .number(JSONNumber(messages)),
            "internal": .bool(isInternal),
            "drift": drift.map { .array($0.map(JSONValue.string)) } ?? .null,
            "complete": .bool(!incomplete),
        ]
    }
}

extension TopicDetail {
    package var json: JSONValue {
        guard case .object(var object) = summary.json else { return .null }
        object.entries.append((
            key: "partition_details",
            value: .array(partitions.map { partition in
                [
                    "partition": .number(JSONNumber(Int64(partition.id))),
                    "leader": .number(JSONNumber(Int64(partition.leader))),
                    "replicas": .array(partition.replicas.map { .number(JSONNumber(Int64($0))) }),
                    "isr": .array(partition.inSyncReplicas.map { .number(JSONNumber(Int64($0))) }),
                    "low": partition.watermarks.map { .number(JSONNumber($0.low)) } ?? .null,
                    "high": partition.watermarks.map { .number(JSONNumber($0.high)) } ?? .null,
                    "messages": partition.watermarks.map { .number(JSONNumber($0.count)) } ?? .null,
                ]
            })
        ))
        object.entries.append((key: "metadata", value: snapshot.json))
        return .object(object)
    }
}

extension BrowseResult {
    /// `records` are `flowguard tail --format json`'s objects (`KafkaRecord.jsonObject`).
    package func json(topic: String, query: MessageQuery, scanLimit: Int) -> JSONValue {
        [
            "topic": .string(topic),
            "query": .object(JSONObject(query.parameters.map { (key: $0.0, value: .string($0.1)) })),
            "records": .array(records.map { .object($0.jsonObject) }),
            "scanned": .number(JSONNumber(Int64(scanned))),
            "scan_limit": .number(JSONNumber(Int64(scanLimit))),
            "scan_limit_reached": .bool(scanLimitReached),
            "complete": .bool(complete),
            "partitions": .array(watermarks.keys.sorted().map { partition in
                [
                    "partition": .number(JSONNumber(Int64(partition))),
                    "low": .number(JSONNumber(watermarks[partition]!.low)),
                    "high": .number(JSONNumber(watermarks[partition]!.high)),
                    "start": startOffsets[partition].map { .number(JSONNumber($0)) } ?? .null,
                ]
            }),
        ]
    }
}
