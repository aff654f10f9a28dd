/// One value for each kind of event, made once: what the decoders and the encoder work out from
/// a kind's schema before the first event arrives, so that no event pays for it.
struct PerKind<Value: Sendable>: Sendable {
    private let order: Value
    private let click: Value
    private let impression: Value

    /// Makes the value of every kind.
    init(_ make: (EventKind) -> Value) {
        order = make(.order)
        click = make(.click)
        impression = make(.impression)
    }

    /// The value of `kind`.
    subscript(kind: EventKind) -> Value {
        switch kind {
        case .order: order
        case .click: click
        case .impression: impression
        }
    }
}
