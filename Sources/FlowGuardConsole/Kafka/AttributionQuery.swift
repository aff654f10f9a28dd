import FlowGuardSupport

/// What the attribution page is asked for: how far back from now, and how many ads to list one by
/// one. Parsed from the query string of `/attribution` and `/api/attribution`.
package struct AttributionQuery: Sendable, Equatable {
    /// How far back the records are read, as it was asked (`24h`, `7d`): the page says it back.
    package var since = "24h"
    /// `since` as a duration.
    package var range: Duration = .seconds(24 * 3600)
    /// The ads listed one by one, by revenue; the others are summed in one row.
    package var top = 20

    package static let maxTop = 1000
    /// The ranges the page offers (any other duration may be asked for).
    package static let offeredRanges = ["1h", "6h", "24h", "7d", "30d"]

    package init() {}

    /// Parses the query parameters; every error names the parameter.
    /// - Throws: `ConsoleError` 400.
    package init(parameters: FormFields) throws(ConsoleError) {
        if let text = parameters["since"], !text.isEmpty {
            guard let duration = Duration.parse(text), duration > .zero else {
                throw .badRequest("since must be a duration such as 1h, 24h or 7d, got '\(text)'")
            }
            since = text
            range = duration
        }
        if let text = parameters["top"], !text.isEmpty {
            guard let value = Int(text), (1...Self.maxTop).contains(value) else {
                throw .badRequest("top must be a number from 1 to \(Self.maxTop), got '\(text)'")
            }
            top = value
        }
    }

    /// The query as parameters again, for links.
    package var parameters: [(String, String)] {
        [("since", since), ("top", String(top))]
    }
}
