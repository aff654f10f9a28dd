import FlowGuardJSON

/// The dishes simulated users order, with their prices in rupees and how popular each one is.
struct FoodMenu: Sendable {
    /// One dish: what an order's `item_id`, `item_name` and `price` say.
    struct Item: Sendable, Equatable {
        /// `item_id`.
        let id: Int64
        /// `item_name`.
        let name: String
        /// `price`, written with two decimals as a payment system would.
        let price: JSONNumber
        /// Relative popularity: an item of weight 20 is ordered twice as often as one of weight 10.
        let weight: Int

        init(_ id: Int64, _ name: String, _ price: String, weight: Int) {
            self.id = id
            self.name = name
            // Every price below is a literal such as "299.00": a JSON number with a fraction.
            self.price = JSONNumber(validatedLexeme: price, isInteger: false, int64: nil)
            self.weight = weight
        }
    }

    /// Every dish, in menu order.
    let items: [Item]
    private let cumulativeWeights: [Int]

    init(items: [Item]) {
        precondition(!items.isEmpty && items.allSatisfy { $0.weight > 0 }, "a menu needs dishes of positive weight")
        self.items = items
        var total = 0
        self.cumulativeWeights = items.map { item in
            total += item.weight
            return total
        }
    }

    /// A dish chosen by popularity.
    func pick(using random: inout SeededRandomNumberGenerator) -> Item {
        let ticket = random.below(cumulativeWeights[cumulativeWeights.count - 1])
        // Few dishes: a linear scan is faster than a binary search here.
        let index = cumulativeWeights.firstIndex { ticket < $0 } ?? items.count - 1
        return items[index]
    }

    /// An Indian restaurant's menu; biryani and dosa sell most.
    static let standard = FoodMenu(items: [
        Item(501, "Biryani", "299.00", weight: 20),
        Item(502, "Masala Dosa", "149.00", weight: 14),
        Item(503, "Paneer Butter Masala", "259.00", weight: 9),
        Item(504, "Butter Chicken", "329.00", weight: 10),
        Item(505, "Veg Thali", "199.00", weight: 8),
        Item(506, "Chole Bhature", "169.00", weight: 6),
        Item(507, "Idli Sambar", "99.00", weight: 7),
        Item(508, "Pav Bhaji", "139.00", weight: 5),
        Item(509, "Vada Pav", "49.00", weight: 5),
        Item(510, "Hyderabadi Mutton Biryani", "399.00", weight: 6),
        Item(511, "Dal Makhani", "219.00", weight: 5),
        Item(512, "Palak Paneer", "239.00", weight: 4),
        Item(513, "Tandoori Chicken", "349.00", weight: 5),
        Item(514, "Chicken 65", "229.00", weight: 4),
        Item(515, "Rogan Josh", "379.00", weight: 3),
        Item(516, "Fish Curry", "319.00", weight: 3),
        Item(517, "Aloo Paratha", "129.00", weight: 4),
        Item(518, "Samosa (2 pcs)", "59.00", weight: 4),
        Item(519, "Pani Puri", "69.00", weight: 3),
        Item(520, "Gulab Jamun", "89.00", weight: 3),
        Item(521, "Rasmalai", "119.00", weight: 2),
        Item(522, "Mango Lassi", "99.00", weight: 4),
        Item(523, "Masala Chai", "39.00", weight: 4),
        Item(524, "Kulfi", "79.00", weight: 2),
        Item(525, "Hakka Noodles", "179.00", weight: 3),
        Item(526, "Veg Manchurian", "189.00", weight: 2),
    ])
}
