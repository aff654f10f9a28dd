import FlowGuardSupport

/// Finds the allowed key a misspelt key most likely meant, for "did you mean" hints.
enum KeySuggestion {
    /// The candidate closest to `key`, or nil when none is close enough to be a plausible typo.
    ///
    /// Case, `_` and `-` are ignored (`replicationFactor` suggests `replication_factor`), and a key of at
    /// least four characters that starts a candidate suggests it (`desc` suggests `description`).
    static func closest(to key: String, among candidates: [String]) -> String? {
        let wanted = normalized(key)
        guard !wanted.isEmpty else { return nil }
        let limit = max(1, min(3, wanted.count / 3))
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let other = normalized(candidate)
            let distance = wanted.count >= 4 && other.hasPrefix(wanted) ? 0 : editDistance(wanted, other)
            if distance <= limit, distance < best?.distance ?? .max {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    private static func normalized(_ key: String) -> [Character] {
        key.lowercased().filter { $0 != "_" && $0 != "-" }.map { $0 }
    }

    /// The Levenshtein distance: insertions, deletions and substitutions needed to turn `a` into `b`.
    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

private extension Array where Element == Character {
    func hasPrefix(_ prefix: [Character]) -> Bool {
        count >= prefix.count && self[..<prefix.count].elementsEqual(prefix)
    }
}
