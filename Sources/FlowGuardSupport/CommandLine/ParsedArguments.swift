/// A subcommand's arguments after parsing: option values, flags and positional arguments, with the
/// environment underneath. A value comes from the flag, else from the option's variable (process
/// environment, then `.env`), else the caller's default.
public struct ParsedArguments: Sendable {
    public var command: String
    /// Given values by option name (aliases resolved).
    var values: [String: [String]] = [:]
    public var positionals: [String] = []
    /// Where options without a flag find their variable.
    public var environment: Environment

    /// Parses `--name value`, `--name=value`, flags and positionals against the allowed options.
    /// `--` ends the options.
    /// - Throws: `UsageError` for an unknown option (with a suggestion), a missing value, a value given to a flag.
    public init(
        command: String, arguments: [String], options: [CommandOption], environment: Environment = Environment(process: [:])
    ) throws(UsageError) {
        self.command = command
        self.environment = environment
        let allowed = options + CommandOption.global
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard !onlyPositionals, argument.hasPrefix("-"), argument != "-" else {
                positionals.append(argument)
                continue
            }
            if argument == "--" {
                onlyPositionals = true
                continue
            }
            guard argument.hasPrefix("--") else {
                if argument == "-h" {
                    values[CommandOption.help.name, default: []].append("")
                    continue
                }
                throw UsageError("unknown option '\(argument)' (options are spelled --name)", command: command)
            }
            let body = argument.dropFirst(2)
            let word: String
            var inlineValue: String?
            if let equals = body.firstIndex(of: "=") {
                word = String(body[..<equals])
                inlineValue = String(body[body.index(after: equals)...])
            } else {
                word = String(body)
            }
            guard let option = allowed.first(where: { $0.isSpelled(word) }) else {
                var message = "unknown option '--\(word)' for '\(command)'"
                if let suggestion = closestMatch(to: word, in: allowed.map(\.name)) {
                    message += "; did you mean '--\(suggestion)'?"
                }
                throw UsageError(message, command: command)
            }
            let name = option.name
            if option.takesValue {
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard index < arguments.count, !arguments[index].hasPrefix("--") else {
                        throw UsageError("option '--\(word)' needs a value (\(option.valueName ?? "VALUE"))", command: command)
                    }
                    value = arguments[index]
                    index += 1
                }
                if !option.repeatable, values[name] != nil {
                    throw UsageError("option '--\(name)' given more than once", command: command)
                }
                values[name, default: []].append(value)
            } else {
                if inlineValue != nil {
                    throw UsageError("option '--\(word)' takes no value", command: command)
                }
                values[name, default: []].append("")
            }
        }
    }

    /// Whether the flag (or option) was given on the command line.
    public func has(_ option: CommandOption) -> Bool { values[option.name] != nil }

    /// The text of an option and where it came from: the flag, else its variable.
    private func text(_ option: CommandOption) -> (text: String, source: String)? {
        if let value = values[option.name]?.last { return (value, "option '--\(option.name)'") }
        guard let variable = option.environment, let (value, source) = environment.lookup(variable) else { return nil }
        return (value, source == .process ? variable : "\(variable) in .env")
    }

    /// The value of an option: the flag's, else its variable's.
    public func string(_ option: CommandOption) -> String? { text(option)?.text }

    /// Every value of a repeatable option, in order; else its variable's comma-separated values.
    public func strings(_ option: CommandOption) -> [String] {
        if let given = values[option.name] { return given }
        guard let (text, _) = text(option) else { return [] }
        return text.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
    }

    /// A flag: given, or its variable set to on/true/1/yes (off/false/0/no for not).
    public func flag(_ option: CommandOption) throws(UsageError) -> Bool {
        try bool(option) ?? false
    }

    /// An on/off option (`on`, `true`, `1`, `yes` or `off`, `false`, `0`, `no`).
    public func bool(_ option: CommandOption) throws(UsageError) -> Bool? {
        if !option.takesValue && has(option) { return true }
        guard let (text, source) = text(option) else { return nil }
        switch text.lowercased() {
        case "on", "true", "1", "yes": return true
        case "off", "false", "0", "no": return false
        default: throw UsageError("\(source) must be on or off, got '\(text)'", command: command)
        }
    }

    /// The option as an integer within a range.
    public func int(_ option: CommandOption, in range: ClosedRange<Int> = Int.min...Int.max) throws(UsageError) -> Int? {
        guard let (text, source) = text(option) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            let bounds = range.upperBound == Int.max ? "an integer >= \(range.lowerBound)" : "an integer from \(range.lowerBound) to \(range.upperBound)"
            throw UsageError("\(source) must be \(bounds), got '\(text)'", command: command)
        }
        return value
    }

    /// The option as a number within a range.
    public func double(
        _ option: CommandOption, in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude
    ) throws(UsageError) -> Double? {
        guard let (text, source) = text(option) else { return nil }
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            throw UsageError("\(source) must be a number from \(range.lowerBound) to \(range.upperBound), got '\(text)'", command: command)
        }
        return value
    }

    /// The option as a duration: `250ms`, `30s`, `2m`, `1h`, or a plain number of seconds.
    public func duration(_ option: CommandOption) throws(UsageError) -> Duration? {
        guard let (text, source) = text(option) else { return nil }
        guard let duration = Duration.parse(text), duration > .zero else {
            throw UsageError("\(source) must be a positive duration such as 500ms, 30s or 2m, got '\(text)'", command: command)
        }
        return duration
    }

    /// Throws when positional arguments were given to a command that takes none.
    public func expectNoPositionals() throws(UsageError) {
        if let first = positionals.first {
            throw UsageError("unexpected argument '\(first)' for '\(command)'", command: command)
        }
    }
}

extension Duration {
    /// Parses `250ms`, `30s`, `2m`, `1h`, `7d`, or a plain number of seconds.
    public static func parse(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let number = Double(text.dropLast(suffix.count)) else { return nil }
            return milliseconds(number * scale * 1000)
        }
        return Double(text).flatMap { milliseconds($0 * 1000) }
    }

    /// Nil for a negative value or one past what `Int64` milliseconds hold (a query parameter may say `1e300h`).
    private static func milliseconds(_ value: Double) -> Duration? {
        guard value.isFinite, value >= 0, value < 9.2e18 else { return nil }
        return .milliseconds(Int64(value.rounded()))
    }
}
