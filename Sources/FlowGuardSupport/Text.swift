import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs, as `trimmingCharacters(in: .whitespaces)`
    /// trims (what `.env` lines, header values and comma-separated flags may carry around their values).
    package func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace && !$0.isNewline }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }

    /// The text followed by spaces up to `width` characters (as is when already that long).
    package func padded(to width: Int) -> String {
        count >= width ? String(self) : String(self) + String(repeating: " ", count: width - count)
    }
}

extension UInt8 {
    /// The value of an ASCII hexadecimal digit (either case), nil for any other byte: what
    /// percent-encoding and hex-written digests are read with.
    package var hexDigitValue: UInt8? {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return self - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return self - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return self - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension Double {
    /// The value rounded to `places` decimals, for numbers in JSON reports.
    package func rounded(toPlaces places: Int) -> Double {
        let scale = (0..<places).reduce(1.0) { value, _ in value * 10 }
        return (self * scale).rounded() / scale
    }

    /// The value with exactly `digits` decimals, rounded as C's `%.Nf` rounds (`1.50`, `0.125` → `0.12`).
    package func formatted(decimals digits: Int) -> String {
        precondition((0...17).contains(digits), "decimals must be 0...17")
        // `%.17f` of the largest double is 309 digits, a point and 17 decimals.
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 400) { buffer in
            let length = withVaList([self]) { arguments in
                vsnprintf(buffer.baseAddress!, buffer.count, "%.\(digits)f", arguments)
            }
            guard length > 0 else { return String(self) }
            return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress!, count: Int(length)), as: UTF8.self)
        }
    }
}

/// Joins and splits file paths with `/`, as `NSString`'s path methods do for the paths FlowGuard uses.
package enum FilePaths {
    /// `directory/component`, without doubling a `/` at the end of `directory`.
    package static func join(_ directory: String, _ component: String) -> String {
        if directory.isEmpty { return component }
        return directory.hasSuffix("/") ? directory + component : directory + "/" + component
    }

    /// The path without its last component: `/a/b/c` → `/a/b`, `/a` → `/`, `c` → ``.
    package static func parent(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmed[..<slash])
    }
}

/// Readable reasons for the errors of file operations.
package enum FileErrors {
    /// `No such file or directory` for a FoundationEssentials file error caused by `ENOENT` (its
    /// description is a dump of its user info); any other error as it describes itself.
    package static func reason(_ error: any Error) -> String {
        let posix = (error as? CocoaError)?.underlying as? POSIXError ?? error as? POSIXError
        guard let posix else { return "\(error)" }
        return String(cString: strerror(posix.code.rawValue))
    }
}
