/// A subcommand's arguments after parsing: option values, flags and positional arguments.
public struct ParsedArguments: Sendable {
    public var command: String
    var values: [String: [String]] = [:]
    public var positionals: [String] = []

    /// Parses `--name value`, `--name=value`, flags and positionals against the allowed options.
    /// `--` ends the options.
    /// - Throws: `UsageError` for an unknown option (with a suggestion), a missing value, a value given to a flag.
    public init(command: String, arguments: [String], options: [CommandOption]) throws(UsageError) {
        self.command = command
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
                    values["help", default: []].append("")
                    continue
                }
                throw UsageError("unknown option '\(argument)' (options are spelled --name)", command: command)
            }
            let body = argument.dropFirst(2)
            let name: String
            var inlineValue: String?
            if let equals = body.firstIndex(of: "=") {
                name = String(body[..<equals])
                inlineValue = String(body[body.index(after: equals)...])
            } else {
                name = String(body)
            }
            guard let option = allowed.first(where: { $0.name == name }) else {
                var message = "unknown option '--\(name)' for '\(command)'"
                if let suggestion = closestMatch(to: name, in: allowed.map(\.name)) {
                    message += "; did you mean '--\(suggestion)'?"
                }
                throw UsageError(message, command: command)
            }
            if option.takesValue {
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard index < arguments.count, !arguments[index].hasPrefix("--") else {
                        throw UsageError("option '--\(name)' needs a value (\(option.valueName ?? "VALUE"))", command: command)
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
                    throw UsageError("option '--\(name)' takes no value", command: command)
                }
                values[name, default: []].append("")
            }
        }
    }

    /// Whether a flag (or option) was given.
    public func has(_ name: String) -> Bool { values[name] != nil }

    /// The value of an option, if given.
    public func string(_ name: String) -> String? { values[name]?.last }

    /// Every value of a repeatable option, in order.
    public func strings(_ name: String) -> [String] { values[name] ?? [] }

    /// The option as an integer within a range.
    public func int(_ name: String, in range: ClosedRange<Int> = Int.min...Int.max) throws(UsageError) -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            let bounds = range.upperBound == Int.max ? "an integer >= \(range.lowerBound)" : "an integer from \(range.lowerBound) to \(range.upperBound)"
            throw UsageError("option '--\(name)' must be \(bounds), got '\(text)'", command: command)
        }
        return value
    }

    /// The option as a number within a range.
    public func double(_ name: String, in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude) throws(UsageError) -> Double? {
        guard let text = string(name) else { return nil }
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            throw UsageError("option '--\(name)' must be a number from \(range.lowerBound) to \(range.upperBound), got '\(text)'", command: command)
        }
        return value
    }

    /// The option as a duration: `250ms`, `30s`, `2m`, `1h`, or a plain number of seconds.
    public func duration(_ name: String) throws(UsageError) -> Duration? {
        guard let text = string(name) else { return nil }
        guard let duration = Duration.parse(text), duration > .zero else {
            throw UsageError("option '--\(name)' must be a positive duration such as 500ms, 30s or 2m, got '\(text)'", command: command)
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
    /// Parses `250ms`, `30s`, `2m`, `1h`, or a plain number of seconds.
    public static func parse(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let number = Double(text.dropLast(suffix.count)), number.isFinite, number >= 0 else { return nil }
            return .milliseconds(Int64((number * scale * 1000).rounded()))
        }
        guard let seconds = Double(text), seconds.isFinite, seconds >= 0 else { return nil }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}
