import FlowGuardJSON

/// Validates the members of one event body as they are read: each is sorted into its field and
/// checked against its rule at once, so that nothing is kept but the values that pass. Gives the
/// event, or every issue: declared fields in schema order, then unknown members in body order.
struct EventBodyValidator {
    private let layout: EventFieldLayout
    /// Prefixed to every issue's `loc`.
    private let location: [ValidationIssue.Location]
    private var values = EventFieldValues()
    /// One bit per field a member was given for, by position in the schema.
    private var seen: UInt16 = 0
    /// Each issue with the position of its field in the schema (`Int.max` for an unknown member).
    private var issues: [(position: Int, issue: ValidationIssue)] = []

    init(kind: EventKind, location: [ValidationIssue.Location]) {
        layout = EventFieldLayout.byKind[kind]
        self.location = location
    }

    /// Takes one member of the body.
    mutating func take(_ value: JSONValue, key: String) {
        guard let position = layout.names.firstIndex(of: key) else {
            issues.append((position: .max, issue: issue(key, "Extra inputs are not permitted", "extra_forbidden")))
            return
        }
        let bit: UInt16 = 1 << position
        if seen & bit != 0 {
            // Only a hand-built JSONObject repeats a key (the parser refuses it): the last member wins.
            issues.removeAll { $0.position == position }
            values.clear(layout.fields[position].slot)
        }
        seen |= bit
        check(value, at: position)
    }

    /// The event, or every issue in order, once every member was taken.
    consuming func result() -> Result<ValidatedEvent, ValidationFailure> {
        for position in layout.fields.indices where seen & 1 << position == 0 {
            check(nil, at: position)
        }
        guard issues.isEmpty, let event = values.event(kind: layout.kind) else {
            // Each field has one issue at most; unknown members keep their body order.
            let ordered = issues.indices.sorted { (issues[$0].position, $0) < (issues[$1].position, $1) }
            return .failure(ValidationFailure(ordered.map { issues[$0].issue }))
        }
        return .success(event)
    }

    private mutating func check(_ value: JSONValue?, at position: Int) {
        let field = layout.fields[position]
        let name = layout.names[position]
        switch EventFieldChecker.check(value, against: field.rule, required: field.isRequired, name: name) {
        case .value(let value): values.store(value, in: field.slot)
        case .absent: break
        case .issue(let msg, let type): issues.append((position: position, issue: issue(name, msg, type)))
        }
    }

    private func issue(_ key: String, _ msg: String, _ type: String) -> ValidationIssue {
        ValidationIssue(loc: location + [.key(key)], msg: msg, type: type)
    }
}
