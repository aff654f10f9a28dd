/// One `--name` option of a subcommand: the single place that says how it is spelled, what it takes,
/// which environment variable sets it when the flag is absent, its default and its help line. The
/// parser, `--help`, `docs/configuration.md` and the check of `.env.example` all read it, so an option
/// is declared once, as a static member, and read by that member (`arguments.int(.port, in: ...)`):
/// a misspelt option does not compile.
public struct CommandOption: Sendable, Hashable {
    /// The name without dashes: `port` for `--port`.
    public var name: String
    /// Older spellings that still work (`file` for `--topics`); help does not list them.
    public var aliases: [String]
    /// The value's placeholder in help (`PORT`); nil for a flag without value.
    public var valueName: String?
    /// The variable that sets the option when the flag is not given (process environment, then `.env`).
    public var environment: String?
    /// What applies when neither the flag nor the variable is given, as help shows it; nil when nothing does.
    public var defaultValue: String?
    /// One line of help, without the default.
    public var help: String
    /// May be given more than once (`--filter a=1 --filter b=2`); its variable is then comma-separated.
    public var repeatable: Bool

    public init(
        _ name: String,
        value valueName: String? = nil,
        environment: String? = nil,
        default defaultValue: String? = nil,
        aliases: [String] = [],
        help: String,
        repeatable: Bool = false
    ) {
        self.name = name
        self.aliases = aliases
        self.valueName = valueName
        self.environment = environment
        self.defaultValue = defaultValue
        self.help = help
        self.repeatable = repeatable
    }

    /// Whether the option takes a value.
    public var takesValue: Bool { valueName != nil }

    /// Whether `--word` selects this option.
    func isSpelled(_ word: String) -> Bool { word == name || aliases.contains(word) }

    /// The flag and its placeholder as help shows them: `--port PORT`.
    public var label: String { "--\(name)" + (valueName.map { " \($0)" } ?? "") }

    /// The help line with the default and the variable: `port to listen on (default 8000; FLOWGUARD_PORT)`.
    public var helpLine: String {
        let notes = [defaultValue.map { "default \($0)" }, environment].compactMap { $0 }
        return notes.isEmpty ? help : "\(help) (\(notes.joined(separator: "; ")))"
    }
}

extension CommandOption {
    /// `--log-level`, accepted by every subcommand.
    public static let logLevel = CommandOption(
        "log-level", value: "LEVEL", environment: "FLOWGUARD_LOG_LEVEL", default: "info",
        help: "trace, debug, info, notice, warning, error or critical"
    )
    /// `--log-format`, accepted by every subcommand.
    public static let logFormat = CommandOption(
        "log-format", value: "FORMAT", environment: "FLOWGUARD_LOG_FORMAT", default: "text", help: "text or json"
    )
    /// `--help` (or `-h`), accepted by every subcommand.
    public static let help = CommandOption("help", help: "show this help")

    /// The options every subcommand accepts besides its own.
    public static let global: [CommandOption] = [.logLevel, .logFormat, .help]
}
