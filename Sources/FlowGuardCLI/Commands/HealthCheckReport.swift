import FlowGuardJSON

/// The outcome of `flowguard health-check`: one entry per check, and the overall verdict.
struct HealthCheckReport {
    enum Status: String {
        case healthy, degraded, unhealthy

        var exitCode: Int32 {
            switch self {
            case .healthy: return 0
            case .unhealthy: return 1
            case .degraded: return 2
            }
        }
    }

    struct Check {
        enum Outcome: String {
            case pass, warn, fail, skip
        }

        var name: String
        var outcome: Outcome
        var detail: String
        var durationMillis: Double?
    }

    var checks: [Check] = []

    mutating func add(_ name: String, _ outcome: Check.Outcome, _ detail: String, durationMillis: Double? = nil) {
        checks.append(Check(name: name, outcome: outcome, detail: detail, durationMillis: durationMillis))
    }

    var status: Status {
        if checks.contains(where: { $0.outcome == .fail }) { return .unhealthy }
        if checks.contains(where: { $0.outcome == .warn }) { return .degraded }
        return .healthy
    }

    /// One line per check: `✓ name: detail`.
    func lines(colour: Bool) -> [String] {
        checks.map { check in
            let (mark, code): (String, String) =
                switch check.outcome {
                case .pass: ("✓", "32")
                case .warn: ("!", "33")
                case .fail: ("✗", "31")
                case .skip: ("–", "2")
                }
            let painted = colour ? "\u{1B}[\(code)m\(mark)\u{1B}[0m" : mark
            return "\(painted) \(check.name): \(check.detail)"
        } + ["status: \(status.rawValue)"]
    }

    var json: [UInt8] {
        let checks = self.checks.map { check -> JSONValue in
            var entries: [(key: String, value: JSONValue)] = [
                (key: "name", value: .string(check.name)),
                (key: "outcome", value: .string(check.outcome.rawValue)),
                (key: "detail", value: .string(check.detail)),
            ]
            if let millis = check.durationMillis, let number = JSONNumber(millis.rounded(toPlaces: 2)) {
                entries.append((key: "duration_ms", value: .number(number)))
            }
            return .object(JSONObject(entries))
        }
        return JSONWriter.serialize(
            .object(JSONObject([(key: "status", value: .string(status.rawValue)), (key: "checks", value: .array(checks))]))
        )
    }
}
