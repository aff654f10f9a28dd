import FlowGuardJSON

/// A request body made of the examples of a schema's fields, named for the OpenAPI document.
public struct EventExample: Sendable {
    /// The example's name, such as `minimal` or `with_epoch_millis`.
    public let name: String
    /// One line on what it shows.
    public let summary: String
    /// The body's event id.
    public let eventID: String
    /// The body, members in schema order.
    public let body: JSONObject
}

extension EventSchema {
    /// Request bodies that pass every rule: `minimal` (the first example of each required field),
    /// then one for every other example of a field, which it adds to (or changes in) the minimal
    /// body. Each has an event id of its own, so that sending them all stores each one.
    /// - Parameter eventIDSuffix: Appended to every event id, so that the examples of another
    ///   endpoint (a batch) are new events too.
    public func examples(eventIDSuffix: String = "") -> [EventExample] {
        var examples = [example("minimal", "Only the required fields", eventIDSuffix: eventIDSuffix)]
        for (index, field) in fields.enumerated() {
            for shown in field.examples.dropFirst(field.isRequired ? 1 : 0) {
                let suffix = "-\(examples.count)" + eventIDSuffix
                examples.append(example(shown.name, shown.summary, showing: (index, shown.value), eventIDSuffix: suffix))
            }
        }
        return examples
    }

    /// The minimal body, with `shown.value` as the field at `shown.index`.
    private func example(
        _ name: String, _ summary: String, showing shown: (index: Int, value: JSONValue)? = nil, eventIDSuffix: String
    ) -> EventExample {
        var members: [(key: String, value: JSONValue)] = []
        var eventID = ""
        for (index, field) in fields.enumerated() {
            var value: JSONValue
            if let shown, shown.index == index {
                value = shown.value
            } else if field.isRequired, let example = field.examples.first {
                value = example.value
            } else {
                continue
            }
            if field.slot == .eventID, case .string(let id) = value {
                eventID = id + eventIDSuffix
                value = .string(eventID)
            }
            members.append((key: field.name, value: value))
        }
        return EventExample(name: name, summary: summary, eventID: eventID, body: JSONObject(members))
    }
}
