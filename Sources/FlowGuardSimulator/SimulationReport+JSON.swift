import FlowGuardEvents
import FlowGuardJSON

extension SimulationReport {
    /// The report as one JSON object, for `--output`.
    package var json: [UInt8] {
        let statistics = self.statistics
        func number(_ value: Double, places: Int = 3) -> JSONValue {
            JSONNumber(value.rounded(toPlaces: places)).map(JSONValue.number) ?? .null
        }
        func integer(_ value: Int) -> JSONValue { .number(JSONNumber(Int64(value))) }
        func millis(_ duration: Duration) -> JSONValue { number(duration.inSeconds * 1000) }
        func counts(_ entries: [(String, Int)]) -> JSONValue {
            .object(JSONObject(entries.map { (key: $0.0, value: integer($0.1)) }))
        }
        func byKind(_ values: [EventKind: Int]) -> JSONValue {
            counts(FunnelGenerator.stages.compactMap { kind in values[kind].map { (kind.rawValue, $0) } })
        }
        func distribution(_ histogram: LatencyHistogram) -> JSONValue {
            var entries = Self.percentiles.map { percentile in
                (key: percentile.name, value: millis(.microseconds(Int64(histogram.valueAtPercentile(percentile.value)))))
            }
            entries.append((key: "max", value: millis(.microseconds(Int64(histogram.max)))))
            entries.append((key: "mean", value: number(histogram.mean / 1000)))
            entries.append((key: "count", value: integer(Int(histogram.totalCount))))
            return .object(JSONObject(entries))
        }
        let object = JSONObject([
            (key: "target", value: .string(target)),
            (key: "profile", value: .string(configuration.profile.name)),
            (key: "mix", value: .string(configuration.funnel.mix.name)),
            (key: "seed", value: JSONNumber(lexeme: String(configuration.funnel.seed)).map(JSONValue.number) ?? .null),
            (key: "rate", value: number(configuration.rate)),
            (key: "duration_seconds", value: number(configuration.duration.inSeconds)),
            (key: "concurrency", value: integer(configuration.concurrency)),
            (key: "stopped_early", value: .bool(stoppedEarlyAt != nil)),
            (key: "elapsed_seconds", value: number(elapsed.inSeconds)),
            (key: "asked_rate", value: number(askedRate)),
            (key: "achieved_rate", value: number(achievedRate)),
            (key: "planned", value: integer(planned)),
            (key: "sent", value: integer(sent)),
            (key: "acknowledged", value: integer(statistics.acknowledgedTotal)),
            (key: "failed", value: integer(statistics.failures)),
            (key: "not_sent", value: integer(statistics.notSent)),
            (key: "waited_for_slot", value: integer(statistics.waitedForSlot)),
            (key: "concurrency_reached_at_seconds", value: statistics.capFirstReachedAt.map { number($0.inSeconds) } ?? .null),
            (key: "events", value: byKind(statistics.sent)),
            (key: "acknowledged_events", value: byKind(statistics.acknowledged)),
            (key: "answers", value: counts(statistics.answers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })),
            (key: "latency_ms", value: distribution(statistics.latency)),
            (key: "send_lag_ms", value: distribution(statistics.dispatchLag)),
            (key: "error_rate", value: number(errorRate, places: 6)),
            (key: "max_error_rate", value: number(configuration.maxErrorRate, places: 6)),
            (key: "passed", value: .bool(passed)),
            (key: "exit_code", value: integer(Int(exitCode))),
        ])
        return JSONWriter.serialize(.object(object))
    }
}
