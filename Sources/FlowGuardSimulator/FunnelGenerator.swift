import FlowGuardEvents

/// Generates the events of simulated users, reproducibly from a seed.
///
/// With the whole funnel, users see ad impressions; a click follows an impression of the same user
/// and ad (within `clickDelay`), and an order follows a click of the same user (within
/// `orderDelay`). The kinds are interleaved so that at every point the counts are as close as
/// possible to the asked shares: after n events, impressions, clicks and orders each differ by less
/// than one from n × 1 : ctr : ctr × cvr (normalised), unless a click or order found nothing to
/// follow and had to wait. Who clicks, which ad, which dish and which user are random.
///
/// Events are a function of the seed and the scheduled offsets only, never of the wall clock.
struct FunnelGenerator {
    let configuration: FunnelConfiguration
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

    /// The kinds of event in funnel order.
    static let stages: [EventKind] = [.impression, .click, .order]

    /// Creates a generator at the start of its sequence.
    init(configuration: FunnelConfiguration, menu: FoodMenu = .standard, inventory: AdInventory = .standard) {
        self.configuration = configuration
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
        let event: ValidatedEvent
        if let kind = configuration.mix.singleKind {
            event = standalone(kind)
        } else {
            event = funnelEvent(at: offset)
        }
        counts[Self.stages.firstIndex(of: event.kind)!] += 1
        return event
    }

    /// Picks the stage furthest behind its share that has something to follow.
    private mutating func funnelEvent(at offset: Duration) -> ValidatedEvent {
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
                return adEvent(.impression, userID: userID, ad: ad)
            case .click:
                guard let impression = impressionPool.take(at: offset, using: &random) else { continue }
                clickPool.add(.init(offset: offset, userID: impression.userID, ad: impression.ad))
                return adEvent(.click, userID: impression.userID, ad: impression.ad)
            case .order:
                guard let click = clickPool.take(at: offset, using: &random) else { continue }
                return order(userID: click.userID)
            }
        }
        preconditionFailure("an impression can always be generated")
    }

    /// An event of one kind with no funnel before it.
    private mutating func standalone(_ kind: EventKind) -> ValidatedEvent {
        let userID = randomUser()
        switch kind {
        case .order:
            return order(userID: userID)
        case .click, .impression:
            return adEvent(kind, userID: userID, ad: inventory.pick(using: &random))
        }
    }

    private mutating func randomUser() -> Int64 {
        FunnelConfiguration.firstUserID + Int64(random.below(configuration.users))
    }

    private var eventID: String { "sim-\(configuration.seed)-\(generated)" }

    private func adEvent(_ kind: EventKind, userID: Int64, ad: AdInventory.Ad) -> ValidatedEvent {
        ValidatedEvent(
            kind: kind, eventID: eventID, userID: userID, clientTimestampMillis: nil,
            details: .ad(.init(adID: ad.id, isClick: kind == .click, adType: ad.type))
        )
    }

    private mutating func order(userID: Int64) -> ValidatedEvent {
        let item = menu.pick(using: &random)
        let orderNumber = count(of: .order) + 1
        return ValidatedEvent(
            kind: .order, eventID: eventID, userID: userID, clientTimestampMillis: nil,
            details: .order(.init(orderID: "ORD-\(configuration.seed)-\(orderNumber)", itemID: item.id, itemName: item.name, price: item.price))
        )
    }
}
