import FlowGuardSupport

/// Parameters of a query string or an `application/x-www-form-urlencoded` body, decoded
/// (`+` is a space, `%XX` a byte), in order, names repeatable.
package struct FormFields: Sendable {
    package var entries: [(name: String, value: String)]

    package init(_ entries: [(name: String, value: String)] = []) {
        self.entries = entries
    }

    /// Parses `a=1&b=x+y&c=%3C`.
    /// - Throws: `ConsoleError` 400 for a malformed percent escape or bytes that are not UTF-8.
    package init(encoded text: Substring) throws(ConsoleError) {
        var entries: [(name: String, value: String)] = []
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0])
            let value = parts.count > 1 ? try Self.decode(parts[1]) : ""
            entries.append((name, value))
        }
        self.entries = entries
    }

    /// The first value named `name`.
    package subscript(name: String) -> String? {
        entries.first { $0.name == name }?.value
    }

    /// Every value named `name`, in order.
    package func all(_ name: String) -> [String] {
        entries.filter { $0.name == name }.map(\.value)
    }

    private static func decode(_ text: Substring) throws(ConsoleError) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next()?.hexDigitValue, let low = iterator.next()?.hexDigitValue else {
                    throw .badRequest("malformed percent escape in '\(text)'")
                }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        guard let string = String(validating: bytes, as: UTF8.self) else {
            throw .badRequest("parameters must be UTF-8 text")
        }
        return string
    }

    /// Percent-encodes a value for a URL query: everything but unreserved characters.
    package static func encode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                result += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
            }
        }
        return result
    }

    /// `a=1&b=x%20y`.
    package static func query(_ parameters: [(String, String)]) -> String {
        parameters.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }
}
