import FlowGuardEvents

/// Which events a simulation sends: the whole funnel, or one kind of event alone.
package struct EventMix: Sendable, Hashable, CustomStringConvertible {
    /// The name `--mix` takes.
    package let name: String
    /// The one kind sent, or nil for the whole funnel.
    let singleKind: EventKind?

    /// Impressions, the clicks some of them lead to, and the orders some clicks lead to.
    static let all = EventMix(name: "all", singleKind: nil)
    /// Orders only, each by a random user (no click before it).
    static let orders = EventMix(name: "orders", singleKind: .order)
    /// Clicks only, each by a random user on a random ad.
    static let clicks = EventMix(name: "clicks", singleKind: .click)
    /// Impressions only.
    static let impressions = EventMix(name: "impressions", singleKind: .impression)

    /// Every mix, in the order help lists them.
    package static let known: [EventMix] = [.all, .orders, .clicks, .impressions]

    /// The mix named `name`, or nil.
    package init?(name: String) {
        guard let mix = Self.known.first(where: { $0.name == name }) else { return nil }
        self = mix
    }

    private init(name: String, singleKind: EventKind?) {
        self.name = name
        self.singleKind = singleKind
    }

    package var description: String { name }
}
