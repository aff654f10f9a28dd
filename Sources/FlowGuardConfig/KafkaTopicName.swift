/// Kafka's rules for topic names (`org.apache.kafka.common.internals.Topic`).
enum KafkaTopicName {
    /// The longest name Kafka accepts.
    static let maxLength = 249

    /// Why `name` is not a legal Kafka topic name, or nil when it is.
    static func problem(with name: String) -> String? {
        if name.isEmpty {
            return "topic name must not be empty"
        }
        if name == "." || name == ".." {
            return "'\(name)' is not a valid topic name"
        }
        for (offset, scalar) in name.unicodeScalars.enumerated() where !isAllowed(scalar) {
            return "invalid topic name '\(name)': character \(offset + 1) is \(describe(scalar)); "
                + "Kafka allows only ASCII letters, digits, '.', '_' and '-'"
        }
        if name.count > maxLength {
            return "topic name is \(name.count) characters long; Kafka allows at most \(maxLength)"
        }
        return nil
    }

    /// The name as Kafka compares it for metric collisions: `.` and `_` are the same character there,
    /// so `raw.orders` and `raw_orders` cannot both exist.
    static func collisionKey(_ name: String) -> String {
        String(name.map { $0 == "." ? "_" : $0 })
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": true
        default: false
        }
    }

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case " ": "' ' (space)"
        case "\t": "a tab"
        default: scalar.properties.generalCategory == .control
            ? "U+\(String(scalar.value, radix: 16, uppercase: true))"
            : "'\(scalar)'"
        }
    }
}
