import FlowGuardJSON

/// The members of an event body sorted into the fields of its kind's schema, by position.
struct EventMembers {
    let schema: EventSchema
    /// One entry per field of ``schema``, nil while the body has no such member.
    private(set) var values: [JSONValue?]

    init(schema: EventSchema) {
        self.schema = schema
        values = Array(repeating: nil, count: schema.fields.count)
    }

    /// Stores a member in its field, the last one winning, and returns false when the schema has no such field.
    mutating func assign(_ value: JSONValue, to key: String) -> Bool {
        guard let index = schema.fields.firstIndex(where: { $0.name == key }) else { return false }
        values[index] = value
        return true
    }
}
