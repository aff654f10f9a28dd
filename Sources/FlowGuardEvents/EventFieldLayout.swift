/// What the decoders need of a kind's schema, worked out once per kind so that decoding an event
/// neither copies the schema nor looks anything up by name more than it must: each field's name
/// (as a `String` for the full decoder, as bytes for the plain reader), its slot and rule, and one
/// bit per required field.
///
/// `@unchecked Sendable`: the buffers are written once, when the layout is made, and never again,
/// nor freed (three small tables for the life of the process). Being plain pointers, not arrays,
/// they cost no reference counting per event: the plain reader is on the path of every event of a batch.
struct EventFieldLayout: @unchecked Sendable {
    /// One field, without anything reference-counted, so that reading it costs nothing.
    struct Field {
        /// The name in UTF-8.
        var nameBytes: UnsafeRawBufferPointer
        var slot: EventField.Slot
        var rule: EventField.Rule
        var isRequired: Bool
    }

    /// The kind the layout is of.
    let kind: EventKind
    /// The fields, by position in the schema.
    let fields: UnsafeBufferPointer<Field>
    /// The field names, by position in the schema.
    let names: UnsafeBufferPointer<String>
    /// One bit per required field, by position: a plain event has seen all of them.
    let requiredMask: UInt16

    init(_ schema: EventSchema) {
        precondition(schema.fields.count <= UInt16.bitWidth, "one bit per field in requiredMask and PlainEventReader.seen")
        let fields = UnsafeMutableBufferPointer<Field>.allocate(capacity: schema.fields.count)
        let names = UnsafeMutableBufferPointer<String>.allocate(capacity: schema.fields.count)
        var requiredMask: UInt16 = 0
        for (index, field) in schema.fields.enumerated() {
            let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: field.name.utf8.count, alignment: 1)
            bytes.copyBytes(from: field.name.utf8)
            fields.initializeElement(
                at: index,
                to: Field(nameBytes: UnsafeRawBufferPointer(bytes), slot: field.slot, rule: field.rule, isRequired: field.isRequired)
            )
            names.initializeElement(at: index, to: field.name)
            if field.isRequired { requiredMask |= 1 << index }
        }
        kind = schema.kind
        self.fields = UnsafeBufferPointer(fields)
        self.names = UnsafeBufferPointer(names)
        self.requiredMask = requiredMask
    }

    /// Every kind's layout.
    static let byKind = PerKind { EventFieldLayout($0.schema) }
}
