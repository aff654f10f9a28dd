/// Why the dumper or the verifier cannot go on: a destination it cannot write, a spool it cannot use.
package struct LakeError: Error, Sendable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}
