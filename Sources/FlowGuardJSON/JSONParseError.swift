/// Why a byte sequence is not a single, strictly valid JSON text (RFC 8259).
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The zero-based offset of the byte where the problem was found.
    public let byteOffset: Int
    /// A short human description, such as `expected ',' or '}' after object member`.
    public let message: String

    /// Creates an error.
    /// - Parameters:
    ///   - byteOffset: The zero-based offset of the offending byte.
    ///   - message: A short human description.
    public init(byteOffset: Int, message: String) {
        self.byteOffset = byteOffset
        self.message = message
    }

    public var description: String {
        "\(message) at byte \(byteOffset)"
    }
}
