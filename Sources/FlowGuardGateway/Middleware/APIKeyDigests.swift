import Crypto
import FlowGuardSupport
import HTTPTypes

/// The accepted API keys as SHA-256 digests, and how a request presents a key: the one rule that the
/// gateway's `APIKeyMiddleware` and the console's key check share, so one keys file serves both.
package struct APIKeyDigests: Sendable {
    private let digests: [[UInt8]]

    /// No keys: nothing needs one.
    package init() {
        self.digests = []
    }

    /// Parses hex digests, one per line; blank lines and `#` comments are skipped.
    /// - Throws: `CommandFailure` naming the first invalid digest by position, never its text.
    package init(lines: [String]) throws(CommandFailure) {
        var digests: [[UInt8]] = []
        for (index, line) in lines.enumerated() {
            let text = line.trimmingSpaces()
            if text.isEmpty || text.hasPrefix("#") { continue }
            guard text.count == 64, let bytes = Self.hexBytes(text) else {
                throw CommandFailure("API key digest \(index + 1) is not 64 hex characters (a SHA-256 digest of the key)")
            }
            digests.append(bytes)
        }
        self.digests = digests
    }

    /// No key configured: nothing needs one.
    package var isEmpty: Bool { digests.isEmpty }

    /// How many keys are accepted.
    package var count: Int { digests.count }

    /// The key of `X-API-Key: <key>` or `Authorization: Bearer <key>`, if the request has one.
    package static func presentedKey(_ headers: HTTPFields) -> String? {
        if let key = headers[.xAPIKey], !key.isEmpty { return key }
        if let authorization = headers[.authorization], authorization.lowercased().hasPrefix("bearer ") {
            return authorization.dropFirst(7).trimmingSpaces()
        }
        return nil
    }

    /// Compares the key's digest with every configured digest without stopping early, so the time
    /// taken says nothing about which digest came close.
    package func accepts(_ key: String) -> Bool {
        let digest = Array(SHA256.hash(data: Array(key.utf8)))
        var matched: UInt8 = 1
        for candidate in digests {
            var difference: UInt8 = 0
            for (a, b) in zip(digest, candidate) { difference |= a ^ b }
            matched &= difference == 0 ? 0 : 1
        }
        return matched == 0
    }

    private static func hexBytes(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let h = high.hexDigitValue, let l = low.hexDigitValue else { return nil }
            bytes.append(h << 4 | l)
        }
        return bytes
    }
}
