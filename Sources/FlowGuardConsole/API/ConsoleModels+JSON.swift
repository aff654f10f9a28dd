import FlowGuardAttribution
import FlowGuardEvents
import FlowGuardJSON
import FlowGuardKafka
import FlowGuardSupport
import FoundationEssentials

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
            "query": parametersJSON(query.parameters),
            "records": .array(records.map { .object($0.jsonObject) }),
            "scanned": .number(JSONNumber(Int64(scanned))),
            "scan_limit": .number(JSONNumber(Int64(scanLimit))),
            "scan_limit_reached": .bool(scanLimitReached),
            "complete": .bool(complete),
            "older": older.map { parametersJSON($0.parameters) } ?? .null,
            "newer": newer.map { parametersJSON($0.parameters) } ?? .null,
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

extension AttributionReport {
    package var json: JSONValue {
        func figures(_ figures: Figures) -> JSONValue {
            ["orders": .number(JSONNumber(Int64(figures.orders))), "revenue": Self.number(figures.revenue)]
        }
        func conversions(_ conversions: Conversions) -> [(key: String, value: JSONValue)] {
            [
                ("conversions", .number(JSONNumber(Int64(conversions.conversions)))),
                ("view_through", .number(JSONNumber(Int64(conversions.viewThrough)))),
                ("revenue", Self.number(conversions.revenue)),
                ("median_time_to_convert_ms", conversions.medianTimeToConvertMillis.map(Self.number) ?? .null),
            ]
        }
        let all = self.all
        let attributed = self.attributed
        return [
            "topic": .string(topic),
            "topic_exists": .bool(topicExists),
            "query": parametersJSON(query.parameters),
            "from": .string(RFC3339.format(millis: fromMillis)),
            "to": .string(RFC3339.format(millis: toMillis)),
            "orders": .number(JSONNumber(Int64(all.orders))),
            "revenue": Self.number(all.revenue),
            "attributed_orders": .number(JSONNumber(Int64(attributed.orders))),
            "credited_revenue": Self.number(attributed.revenue),
            "models": .object(JSONObject(Attribution.Model.allCases.map { (key: $0.rawValue, value: figures(byModel[$0] ?? Figures())) })),
            "ads": .array(ads.map { ad in
                .object(JSONObject([("ad_id", .string(ad.id)), ("ad_type", .string(ad.type))] + conversions(ad.conversions)))
            }),
            "other_ads": otherAds.map { .object(JSONObject([("ads", .number(JSONNumber(Int64($0.ads))))] + conversions($0.conversions))) } ?? .null,
            "ad_count": .number(JSONNumber(Int64(adCount))),
            "unreadable": .number(JSONNumber(Int64(unreadable))),
            "duplicates": .number(JSONNumber(Int64(duplicates))),
            "topic_records": .number(JSONNumber(topicRecords)),
            "range_records": .number(JSONNumber(rangeRecords)),
            "scanned": .number(JSONNumber(Int64(scanned))),
            "scan_limit": .number(JSONNumber(Int64(scanLimit))),
            "scan_limit_reached": .bool(scanLimitReached),
            "covered_from": coveredFromMillis.map { .string(RFC3339.format(millis: $0)) } ?? .null,
            "complete": .bool(complete),
            "metadata": snapshot.json,
        ]
    }

    /// A decimal sum as a JSON number, digit for digit.
    private static func number(_ value: Decimal) -> JSONValue {
        JSONNumber(lexeme: value.description).map(JSONValue.number) ?? .null
    }

    /// A median: whole milliseconds as an integer, the mean of two middle values with its half.
    private static func number(_ value: Double) -> JSONValue {
        value == value.rounded() && abs(value) < 9e15 ? .number(JSONNumber(Int64(value))) : JSONNumber(value).map(JSONValue.number) ?? .null
    }
}

/// A query's parameters as the JSON object the API answers with (the query asked, the next pages).
private func parametersJSON(_ parameters: [(String, String)]) -> JSONValue {
    .object(JSONObject(parameters.map { (key: $0.0, value: .string($0.1)) }))
}
