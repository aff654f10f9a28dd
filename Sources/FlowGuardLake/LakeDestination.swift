/// Where `dump` writes: `s3://BUCKET/PREFIX` or `file:///DIR`.
package enum LakeDestination: Sendable, Equatable, CustomStringConvertible {
    /// A directory; object keys are paths below it.
    case directory(String)
    /// A bucket and a key prefix without trailing `/` (may be empty).
    case s3(bucket: String, prefix: String)

    /// Parses `--to`.
    /// - Throws: `LakeError` saying what a valid destination looks like.
    package init(parsing text: String) throws(LakeError) {
        if text.hasPrefix("file://") {
            let path = String(text.dropFirst("file://".count))
            guard path.hasPrefix("/"), path.count > 1 else {
                throw LakeError("a file:// destination needs an absolute directory, such as file:///var/lake, got '\(text)'")
            }
            self = .directory(path.hasSuffix("/") ? String(path.dropLast()) : path)
        } else if text.hasPrefix("s3://") {
            let rest = text.dropFirst("s3://".count)
            let bucket = String(rest.prefix { $0 != "/" })
            guard Self.isValidBucket(bucket) else {
                throw LakeError("an s3:// destination needs a bucket name (3 to 63 of a-z 0-9 . -), such as s3://lake/events, got '\(text)'")
            }
            var prefix = String(rest.dropFirst(bucket.count).drop { $0 == "/" })
            while prefix.hasSuffix("/") { prefix.removeLast() }
            self = .s3(bucket: bucket, prefix: prefix)
        } else {
            throw LakeError("the destination must be s3://BUCKET/PREFIX or file:///DIR, got '\(text)'")
        }
    }

    private static func isValidBucket(_ name: String) -> Bool {
        (3...63).contains(name.count) && name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
        }
    }

    /// The prefix every object key starts with ("" for a directory).
    package var keyPrefix: String {
        switch self {
        case .directory: ""
        case .s3(_, let prefix): prefix
        }
    }

    package var description: String {
        switch self {
        case .directory(let path): "file://\(path)"
        case .s3(let bucket, let prefix): "s3://\(bucket)/\(prefix)"
        }
    }
}
