import FlowGuardSupport

extension FlowGuardCLI {
    /// `docs/configuration.md`, written from the commands' option tables; a test holds the committed
    /// file equal to it.
    package static var configurationReference: String {
        var lines = [
            "<!-- Generated from the commands' option tables (Sources/FlowGuardCLI); a test holds this file equal to them.",
            "     Refresh: FLOWGUARD_UPDATE_SNAPSHOTS=1 swift test --filter configurationReferenceIsCurrent -->",
            "# Configuration",
            "",
            "Every setting is a flag; most can also be set by an environment variable, in the process environment or in a",
            "`.env` file in the working directory (see `.env.example`). Precedence: flag > process environment > `.env` >",
            "default. `flowguard CMD --help` prints the same table for one command.",
            "",
            "Durations take `ms`, `s`, `m`, `h` or `d` (`500ms`, `30s`, `15m`, `7d`), or plain seconds. On/off values take",
            "`on`, `off`, `true`, `false`, `1`, `0`, `yes` or `no`.",
        ]
        for command in commands {
            lines += ["", "## `flowguard \(command.name)`", "", command.summary + ".", "", "| flag | variable | default | meaning |", "|---|---|---|---|"]
            for option in command.allOptions {
                let flag = "`\(option.label.replacing("|", with: "\\|"))`" + option.aliases.map { " (or `--\($0)`)" }.joined()
                let variable = option.environment.map { "`\($0)`" } ?? ""
                lines.append("| \(flag) | \(variable) | \(option.defaultValue ?? "") | \(option.help.replacing("|", with: "\\|")) |")
            }
            if !command.environmentVariables.isEmpty {
                lines += ["", "It also reads:", ""]
                for variable in command.environmentVariables {
                    lines.append("- `\(variable.label)`: \(variable.help)")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Every variable some command reads: what `.env.example` must show.
    package static var allEnvironmentVariables: [EnvironmentVariable] {
        var seen = Set<String>()
        return commands.flatMap { $0.readVariables }.filter { seen.insert($0.name).inserted }
    }
}
