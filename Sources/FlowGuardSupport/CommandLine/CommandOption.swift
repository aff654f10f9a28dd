/// One `--name` option a subcommand accepts.
public struct CommandOption: Sendable {
    /// The name without dashes: `port` for `--port`.
    public var name: String
    /// The value's placeholder in help (`PORT`); nil for a flag without value.
    public var valueName: String?
    /// One line of help.
    public var help: String
    /// May be given more than once (`--filter a=1 --filter b=2`).
    public var repeatable: Bool

    public init(_ name: String, value valueName: String? = nil, help: String, repeatable: Bool = false) {
        self.name = name
        self.valueName = valueName
        self.help = help
        self.repeatable = repeatable
    }

    /// Whether the option takes a value.
    public var takesValue: Bool { valueName != nil }

    /// `--log-level` and `--log-format`, accepted by every subcommand.
    public static let global: [CommandOption] = [
        CommandOption("log-level", value: "LEVEL", help: "trace, debug, info, notice, warning, error or critical (FLOWGUARD_LOG_LEVEL; default info)"),
        CommandOption("log-format", value: "FORMAT", help: "text or json (FLOWGUARD_LOG_FORMAT; default text)"),
        CommandOption("help", help: "show this help"),
    ]
}
