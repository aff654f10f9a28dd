/// Where commands print: standard output and standard error, replaceable in tests.
public struct CommandOutput: Sendable {
    private let writeOut: @Sendable (String) -> Void
    private let writeError: @Sendable (String) -> Void

    public init(out: @escaping @Sendable (String) -> Void, error: @escaping @Sendable (String) -> Void) {
        self.writeOut = out
        self.writeError = error
    }

    /// The process's own stdout and stderr.
    public static let standard = CommandOutput(
        out: { text in StandardStream.output.write(text) },
        error: { text in StandardStream.error.write(text) }
    )

    /// Prints a line to standard output.
    public func print(_ line: String) { writeOut(line + "\n") }

    /// Prints a line to standard error.
    public func printError(_ line: String) { writeError(line + "\n") }

    /// Whether standard output is a terminal.
    public static var isTerminal: Bool { StandardStream.output.isTerminal }
}
