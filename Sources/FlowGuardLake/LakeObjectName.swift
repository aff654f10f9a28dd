import FlowGuardSupport

/// The name of one object of the lake, Hive-style:
/// `PREFIX/topic=T/dt=YYYY-MM-DD/hr=HH/T+P+START.ndjson.gz`, where the hour is the records' event hour
/// (UTC) and START the offset of its first record, zero-padded so that names sort as offsets do.
package struct LakeObjectName: Sendable, Hashable, Comparable, CustomStringConvertible {
    package var topic: String
    package var partition: Int32
    /// Hours since the epoch (UTC) of the records' event time.
    package var hour: Int64
    package var startOffset: Int64

    /// Digits of START: every non-negative Int64 fits.
    package static let offsetDigits = 19
    package static let suffix = ".ndjson.gz"

    package init(topic: String, partition: Int32, hour: Int64, startOffset: Int64) {
        self.topic = topic
        self.partition = partition
        self.hour = hour
        self.startOffset = startOffset
    }

    /// `topic=T/dt=YYYY-MM-DD/hr=HH/`, the folder of the hour.
    package var folder: String {
        let text = RFC3339.format(millis: hour * 3_600_000)  // 2026-12-04T15:00:00.000Z
        return "topic=\(topic)/dt=\(text.prefix(10))/hr=\(text.dropFirst(11).prefix(2))/"
    }

    /// `T+P+START.ndjson.gz`.
    package var fileName: String {
        let digits = String(startOffset)
        return "\(topic)+\(partition)+\(String(repeating: "0", count: max(0, Self.offsetDigits - digits.count)))\(digits)\(Self.suffix)"
    }

    /// The full key below `prefix` (which may be empty).
    package func key(prefix: String) -> String {
        (prefix.isEmpty ? "" : prefix + "/") + folder + fileName
    }

    /// The name a key holds, or nil when the key is not one of the lake's objects.
    package init?(key: String, prefix: String) {
        var rest = Substring(key)
        if !prefix.isEmpty {
            guard rest.hasPrefix(prefix + "/") else { return nil }
            rest = rest.dropFirst(prefix.count + 1)
        }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0].hasPrefix("topic="), parts[1].hasPrefix("dt="), parts[2].hasPrefix("hr="), parts[3].hasSuffix(Self.suffix) else {
            return nil
        }
        let topic = String(parts[0].dropFirst("topic=".count))
        let file = parts[3].dropLast(Self.suffix.count).split(separator: "+", omittingEmptySubsequences: false)
        guard file.count == 3, file[0] == topic, let partition = Int32(file[1]), let start = Int64(file[2]),
              let millis = try? RFC3339.parse("\(parts[1].dropFirst(3))T\(parts[2].dropFirst(3)):00:00Z")
        else { return nil }
        self.init(topic: topic, partition: partition, hour: millis / 3_600_000, startOffset: start)
        guard key == self.key(prefix: prefix) else { return nil }
    }

    package static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.topic, lhs.partition, lhs.hour, lhs.startOffset) < (rhs.topic, rhs.partition, rhs.hour, rhs.startOffset)
    }

    package var description: String { key(prefix: "") }
}
