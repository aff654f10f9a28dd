/// The ads simulated users see and click: ids and formats as the ad system sends them.
struct AdInventory: Sendable {
    /// One ad: what a click's or impression's `ad_id` and `ad_type` say.
    struct Ad: Sendable, Equatable {
        /// `ad_id`, such as `ad_123`.
        let id: String
        /// `ad_type`, such as `banner`.
        let type: String
    }

    /// Every ad that can be shown.
    let ads: [Ad]

    /// An ad chosen uniformly.
    func pick(using random: inout SeededRandomNumberGenerator) -> Ad {
        ads[random.below(ads.count)]
    }

    /// The formats the ad system serves.
    static let formats = ["banner", "video", "native", "carousel", "interstitial", "sponsored_listing"]

    /// 48 ads, `ad_101` to `ad_148`, spread over every format.
    static let standard = AdInventory(
        ads: (101...148).map { number in Ad(id: "ad_\(number)", type: formats[number % formats.count]) }
    )
}
