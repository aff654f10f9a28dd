/// The members of a JSON object, in the order they were written.
///
/// Two objects are equal when they hold equal members in the same order.
public struct JSONObject: Sendable, Equatable {
    /// The members in document order. ``JSONParser`` never produces duplicate keys.
    public var entries: [(key: String, value: JSONValue)]

    /// Creates an object from members in order.
    /// - Parameter entries: The members; keys should be distinct.
    public init(_ entries: [(key: String, value: JSONValue)] = []) {
        self.entries = entries
    }

    /// The number of members.
    public var count: Int { entries.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { entries.isEmpty }

    /// The value of the first member named `key`, or nil when there is none.
    public subscript(key: String) -> JSONValue? {
        for entry in entries where entry.key == key {
            return entry.value
        }
        return nil
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        for (left, right) in zip(lhs.entries, rhs.entries) {
            guard left.key == right.key, left.value == right.value else { return false }
        }
        return true
    }
}
