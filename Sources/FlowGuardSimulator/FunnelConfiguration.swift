/// How the simulated users behave: who they are, how often they click and order, and what is sent.
package struct FunnelConfiguration: Sendable, Equatable {
    /// Fixes every random choice: the same seed gives the same events, event for event.
    package var seed: UInt64
    /// How many distinct users there are; their `user_id`s are 1001 to 1000 + users.
    package var users: Int
    /// The share of impressions that lead to a click (`--ctr`).
    package var clickThroughRate: Double
    /// The share of clicks that lead to an order (`--cvr`).
    package var conversionRate: Double
    /// How long after a click its order may come (`--order-delay`); a click older than this no longer converts.
    package var orderDelay: Duration
    /// How long after an impression its click may come.
    var clickDelay: Duration
    /// The events sent: the whole funnel or one kind.
    package var mix: EventMix
    /// When set, every event carries a `timestamp`: this instant (milliseconds since the epoch) plus
    /// its scheduled offset, so that its event time does not depend on when it was sent or read.
    package var eventTimeOrigin: Int64?

    /// Creates a configuration; every argument has the simulator's default.
    package init(
        seed: UInt64 = 1,
        users: Int = 1000,
        clickThroughRate: Double = 0.02,
        conversionRate: Double = 0.1,
        orderDelay: Duration = .seconds(600),
        clickDelay: Duration = .seconds(60),
        mix: EventMix = .all,
        eventTimeOrigin: Int64? = nil
    ) {
        self.seed = seed
        self.users = users
        self.clickThroughRate = clickThroughRate
        self.conversionRate = conversionRate
        self.orderDelay = orderDelay
        self.clickDelay = clickDelay
        self.mix = mix
        self.eventTimeOrigin = eventTimeOrigin
    }

    /// The first user id.
    static let firstUserID: Int64 = 1001
}
