/// Why a record of an input topic cannot be used; the job counts and skips such records.
package struct AttributionInputError: Error, Sendable, Equatable, CustomStringConvertible {
    package var reason: String

    package init(_ reason: String) {
        self.reason = reason
    }

    package var description: String { reason }
}
