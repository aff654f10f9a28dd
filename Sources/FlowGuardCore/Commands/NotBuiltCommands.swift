/// A subcommand whose issue has not landed yet: it says so and exits 1.
private func notBuilt(_ name: String, _ context: CommandContext) -> Int32 {
    context.output.printError("flowguard \(name): not built yet in this version")
    return ExitCode.failure
}

/// `flowguard simulate` (not built yet).
struct SimulateCommand: Subcommand {
    static let name = "simulate"
    static let summary = "Generate realistic order/click/impression traffic at a set rate (not built yet)"
    static let usage = "[--rate N] [--duration D] [--target URL|kafka]"
    static let options = [
        CommandOption("rate", value: "N", help: "events per second"),
        CommandOption("duration", value: "DURATION", help: "how long to run"),
        CommandOption("target", value: "URL", help: "the gateway URL, or kafka"),
    ]

    static func run(_ arguments: ParsedArguments, context: CommandContext) async throws -> Int32 {
        notBuilt(name, context)
    }
}

