/// An environment variable a command reads that is not the variable of one of its options, such as
/// the `KAFKA_*` settings of every Kafka client; declared where it is read, so that `--help` and the
/// docs can list it.
public struct EnvironmentVariable: Sendable, Hashable {
    /// The name, or for a family of variables its prefix (`KAFKA_PRODUCER__`).
    public var name: String
    /// Whether `name` is a prefix: every variable starting with it is read.
    public var isPrefix: Bool
    /// One line of help.
    public var help: String

    public init(_ name: String, prefix isPrefix: Bool = false, help: String) {
        self.name = name
        self.isPrefix = isPrefix
        self.help = help
    }

    /// The name as help shows it: `KAFKA_PRODUCER__<PROPERTY>` for a prefix.
    public var label: String { isPrefix ? "\(name)<PROPERTY>" : name }

    /// `NO_COLOR`, which turns colour off in output meant for a terminal (https://no-color.org).
    public static let noColor = EnvironmentVariable("NO_COLOR", help: "set (to anything) to print without colour on a terminal")
}
