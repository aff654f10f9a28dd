/// Why a record cannot be used: one of an input topic, which the job counts and skips, or an output
/// record read back, which the console counts as unreadable.
package struct AttributionInputError: Error, Sendable, Equatable, CustomStringConvertible {
    package var reason: String

    package init(_ reason: String) {
        self.reason = reason
    }

    package var description: String { reason }
}
