@testable import FlowGuardEvents
@testable import FlowGuardSimulator
import Testing

/// Generates `count` events of a funnel scheduled `spacing` apart.
private func generate(_ configuration: FunnelConfiguration, count: Int, spacing: Duration = .milliseconds(1)) -> [(offset: Duration, event: ValidatedEvent)] {
    var generator = FunnelGenerator(configuration: configuration)
    return (0..<count).map { index in
        let offset = spacing * index
        return (offset, generator.next(at: offset))
    }
}

private func counts(_ events: [(offset: Duration, event: ValidatedEvent)]) -> [EventKind: Int] {
    events.reduce(into: [:]) { $0[$1.event.kind, default: 0] += 1 }
}

@Suite("simulate: the seeded funnel generator")
struct SimulatorGeneratorTests {
    @Test("1300 events at ctr 0.25 and cvr 0.2 are exactly 1000 impressions, 250 clicks and 50 orders")
    func exactCountsSmallFunnel() {
        let events = generate(FunnelConfiguration(seed: 7, clickThroughRate: 0.25, conversionRate: 0.2), count: 1300)
        #expect(counts(events) == [.impression: 1000, .click: 250, .order: 50])
    }

    @Test("10220 events at the default ctr 0.02 and cvr 0.1 are exactly 10000 impressions, 200 clicks and 20 orders")
    func exactCountsDefaults() {
        let events = generate(FunnelConfiguration(seed: 99), count: 10220)
        #expect(counts(events) == [.impression: 10000, .click: 200, .order: 20])
    }

    @Test("every click follows an impression of the same user and ad; every order follows a click of the same user, within the delays")
    func funnelRelationsHold() throws {
        let configuration = FunnelConfiguration(seed: 3, users: 50, clickThroughRate: 0.3, conversionRate: 0.5, orderDelay: .seconds(2), clickDelay: .seconds(1))
        let events = generate(configuration, count: 5000, spacing: .milliseconds(10))
        var unclickedImpressions: [(offset: Duration, user: Int64, ad: String)] = []
        var unconvertedClicks: [(offset: Duration, user: Int64)] = []
        var clicks = 0
        var orders = 0
        for (offset, event) in events {
            switch event.kind {
            case .impression:
                let ad = try #require(event.ad)
                #expect(!ad.isClick)
                unclickedImpressions.append((offset, event.userID, ad.adID))
            case .click:
                let ad = try #require(event.ad)
                #expect(ad.isClick)
                // The oldest candidate still in its window: if any assignment of clicks to impressions exists, this one does.
                let index = try #require(
                    unclickedImpressions.firstIndex { $0.user == event.userID && $0.ad == ad.adID && offset - $0.offset <= .seconds(1) },
                    "click \(event.eventID) has no earlier impression of user \(event.userID) and \(ad.adID)"
                )
                unclickedImpressions.remove(at: index)
                unconvertedClicks.append((offset, event.userID))
                clicks += 1
            case .order:
                let index = try #require(
                    unconvertedClicks.firstIndex { $0.user == event.userID && offset - $0.offset <= .seconds(2) },
                    "order \(event.eventID) has no earlier click of user \(event.userID)"
                )
                unconvertedClicks.remove(at: index)
                orders += 1
            }
        }
        #expect(clicks > 1000)
        #expect(orders > 500)
    }

    @Test("the same seed gives the same events, event for event; another seed gives others")
    func sameSeedSameEvents() {
        let configuration = FunnelConfiguration(seed: 42, clickThroughRate: 0.1, conversionRate: 0.3)
        let first = generate(configuration, count: 3000).map(\.event)
        let second = generate(configuration, count: 3000).map(\.event)
        #expect(first == second)
        var other = configuration
        other.seed = 43
        let third = generate(other, count: 3000).map(\.event)
        #expect(third != first)
        #expect(first.prefix(3).map(\.eventID) == ["sim-42-1", "sim-42-2", "sim-42-3"])
    }

    @Test("event ids and order ids are unique; users stay within --users; items and prices come from the menu")
    func realisticFields() throws {
        let events = generate(FunnelConfiguration(seed: 5, users: 20, clickThroughRate: 0.5, conversionRate: 1), count: 4000).map(\.event)
        #expect(Set(events.map(\.eventID)).count == 4000)
        #expect(events.allSatisfy { (1001...1020).contains($0.userID) })
        #expect(Set(events.map(\.userID)).count == 20)
        let orders = events.compactMap(\.order)
        #expect(Set(orders.map(\.orderID)).count == orders.count)
        let menu = Dictionary(uniqueKeysWithValues: FoodMenu.standard.items.map { ($0.id, $0) })
        for order in orders {
            let item = try #require(menu[order.itemID])
            #expect(order.itemName == item.name)
            #expect(order.price == item.price)
        }
        #expect(Set(orders.map(\.itemName)).contains("Biryani"))
        #expect(Set(orders.map(\.itemName)).contains("Masala Dosa"))
        let adTypes = Set(events.compactMap(\.ad).map(\.adType))
        #expect(adTypes == Set(AdInventory.formats))
    }

    @Test("--mix orders, clicks or impressions sends that kind only")
    func singleKindMixes() {
        for (mix, kind) in [(EventMix.orders, EventKind.order), (.clicks, .click), (.impressions, .impression)] {
            let events = generate(FunnelConfiguration(seed: 11, mix: mix), count: 500)
            #expect(counts(events) == [kind: 500], "\(mix)")
        }
        #expect(EventMix(name: "orders") == .orders)
        #expect(EventMix(name: "drinks") == nil)
    }

    @Test("every request body passes the gateway's own validation and decodes back to the same event")
    func requestBodiesValidate() throws {
        let events = generate(FunnelConfiguration(seed: 8, clickThroughRate: 0.5, conversionRate: 0.5), count: 300).map(\.event)
        for event in events {
            let decoded = try EventDecoder.decode(event.requestBody, as: event.kind).get()
            #expect(decoded == event)
        }
        let order = try #require(events.first { $0.kind == .order })
        let body = String(decoding: order.requestBody, as: UTF8.self)
        #expect(body.hasPrefix(#"{"event_id":"sim-8-"#))
        #expect(body.contains(#""price":"#) && body.contains(".00}"))
    }
}
