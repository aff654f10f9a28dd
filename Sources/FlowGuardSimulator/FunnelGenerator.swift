import FlowGuardEvents
import FlowGuardSupport

/// Generates the events of simulated users, reproducibly from a seed.
///
/// With the whole funnel, users see ad impressions; a click follows an impression of the same user
/// and ad (within `clickDelay`), and an order follows a click of the same user (within
/// `orderDelay`). The kinds are interleaved so that at every point the counts are as close as
/// possible to the asked shares: after n events, impressions, clicks and orders each differ by less
/// than one from n × 1 : ctr : ctr × cvr (normalised), unless a click or order found nothing to
/// follow and had to wait. Who clicks, which ad, which dish and which user are random.
///
/// A user's newer click replaces their older one as what an order may follow, so that an order
/// follows the user's last click (as the attribution job credits it). A user who clicked or ordered
/// in one millisecond does not click again in it: two events of the same time would leave "last"
/// to the order in which they reach Kafka.
///
/// Events are a function of the seed and the scheduled offsets only, never of the wall clock.
struct FunnelGenerator {
    let configuration: FunnelConfiguration
    /// Where the order-to-click choices go, when the run records them (`--truth`).
    let truth: FunnelTruth?
    let menu: FoodMenu
    let inventory: AdInventory
    private var random: SeededRandomNumberGenerator
    /// The target share of each funnel stage (impression, click, order).
    private let shares: [Double]
    /// Events generated per funnel stage (impression, click, order).
    private(set) var counts: [Int] = [0, 0, 0]
    /// Events generated so far.
    private(set) var generated = 0
    private var impressionPool: FunnelPool
    private var clickPool: FunnelPool
    /// The millisecond of the last event, and the users who clicked or ordered in it.
    private var currentMillisecond: Int64 = -1
    private var usersActiveThisMillisecond: Set<Int64> = []

    /// The kinds of event in funnel order.
    static let stages: [EventKind] = [.impression, .click, .order]

    /// Creates a generator at the start of its sequence.
    init(configuration: FunnelConfiguration, menu: FoodMenu = .standard, inventory: AdInventory = .standard, truth: FunnelTruth? = nil) {
        self.configuration = configuration
        self.truth = truth
        self.menu = menu
        self.inventory = inventory
        self.random = SeededRandomNumberGenerator(seed: configuration.seed)
        let weights = [1, configuration.clickThroughRate, configuration.clickThroughRate * configuration.conversionRate]
        let total = weights.reduce(0, +)
        self.shares = weights.map { $0 / total }
        self.impressionPool = FunnelPool(window: configuration.clickDelay)
        self.clickPool = FunnelPool(window: configuration.orderDelay)
    }

    /// The number of events of `kind` generated so far.
    func count(of kind: EventKind) -> Int {
        counts[Self.stages.firstIndex(of: kind)!]
    }

    /// The next event, scheduled `offset` after the start of the run.
    mutating func next(at offset: Duration) -> ValidatedEvent {
        generated += 1
        let millisecond = offset.milliseconds
        if millisecond != currentMillisecond {
            currentMillisecond = millisecond
            usersActiveThisMillisecond.removeAll(keepingCapacity: true)
        }
        let timestamp = configuration.eventTimeOrigin.map { $0 + millisecond }
        let event: ValidatedEvent
        if let kind = configuration.mix.singleKind {
            event = standalone(kind, timestamp: timestamp)
        } else {
            event = funnelEvent(at: offset, timestamp: timestamp)
        }
        counts[Self.stages.firstIndex(of: event.kind)!] += 1
        return event
    }

    /// Picks the stage furthest behind its share that has something to follow.
    private mutating func funnelEvent(at offset: Duration, timestamp: Int64?) -> ValidatedEvent {
        let n = Double(generated)
        let deficits = shares.indices.map { n * shares[$0] - Double(counts[$0]) }
        // Furthest behind first; on a tie the earlier stage, so that a click never precedes its impression.
        let candidates = shares.indices.sorted { deficits[$0] != deficits[$1] ? deficits[$0] > deficits[$1] : $0 < $1 }
        for stage in candidates {
            switch Self.stages[stage] {
            case .impression:
                let userID = randomUser()
                let ad = inventory.pick(using: &random)
                impressionPool.add(.init(offset: offset, userID: userID, ad: ad))
                return adEvent(.impression, userID: userID, ad: ad, timestamp: timestamp)
            case .click:
                guard let impression = impressionPool.take(at: offset, using: &random),
                    !usersActiveThisMillisecond.contains(impression.userID)
                else { continue }
                usersActiveThisMillisecond.insert(impression.userID)
                clickPool.removeEntries(of: impression.userID)
                clickPool.add(.init(offset: offset, userID: impression.userID, ad: impression.ad, eventID: eventID, timestampMillis: timestamp))
                return adEvent(.click, userID: impression.userID, ad: impression.ad, timestamp: timestamp)
            case .order:
                guard let click = clickPool.take(at: offset, using: &random) else { continue }
                usersActiveThisMillisecond.insert(click.userID)
                let event = order(userID: click.userID, timestamp: timestamp)
                if let truth, let fields = event.order {
                    truth.record(
                        .init(
                            orderEventID: event.eventID, orderID: fields.orderID, userID: click.userID, orderTimestampMillis: timestamp,
                            clickEventID: click.eventID, adID: click.ad.id, adType: click.ad.type, clickTimestampMillis: click.timestampMillis
                        )
                    )
                }
                return event
            }
        }
        preconditionFailure("an impression can always be generated")
    }

    /// An event of one kind with no funnel before it.
    private mutating func standalone(_ kind: EventKind, timestamp: Int64?) -> ValidatedEvent {
        let userID = randomUser()
        switch kind {
        case .order:
            return order(userID: userID, timestamp: timestamp)
        case .click, .impression:
            return adEvent(kind, userID: userID, ad: inventory.pick(using: &random), timestamp: timestamp)
        }
    }

    private mutating func randomUser() -> Int64 {
        FunnelConfiguration.firstUserID + Int64(random.below(configuration.users))
    }

    private var eventID: String { "sim-\(configuration.seed)-\(generated)" }

    private func adEvent(_ kind: EventKind, userID: Int64, ad: AdInventory.Ad, timestamp: Int64?) -> ValidatedEvent {
        ValidatedEvent(
            kind: kind, eventID: eventID, userID: userID, clientTimestampMillis: timestamp,
            details: .ad(.init(adID: ad.id, isClick: kind == .click, adType: ad.type))
        )
    }

    private mutating func order(userID: Int64, timestamp: Int64?) -> ValidatedEvent {
        let item = menu.pick(using: &random)
        let orderNumber = count(of: .order) + 1
        return ValidatedEvent(
            kind: .order, eventID: eventID, userID: userID, clientTimestampMillis: timestamp,
            details: .order(.init(orderID: "ORD-\(configuration.seed)-\(orderNumber)", itemID: item.id, itemName: item.name, price: item.price))
        )
    }
}
