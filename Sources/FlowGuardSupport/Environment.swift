import FoundationEssentials

/// Environment variables, with the values of a `.env` file in the working directory underneath:
/// a variable set in the process wins over the same one in `.env`.
public struct Environment: Sendable {
    /// Where a value came from.
    public enum Source: String, Sendable {
        case process = "environment"
        case dotEnv = ".env"
    }

    public var process: [String: String]
    public var dotEnv: [String: String]
    /// The variables a command declared (its options' and its own), when it runs through the command
    /// line; nil for an environment built by hand. Reading another variable is a defect: `--help` would
    /// not list it. Debug builds, which run the tests, stop there.
    public private(set) var declared: Declared?

    /// The names and name prefixes a command may read.
    public struct Declared: Sendable {
        public var names: Set<String>
        public var prefixes: [String]

        public init(_ variables: [EnvironmentVariable]) {
            names = Set(variables.filter { !$0.isPrefix }.map(\.name))
            prefixes = variables.filter(\.isPrefix).map(\.name)
        }

        /// Whether a command that declared these may read `name`.
        public func allows(_ name: String) -> Bool {
            names.contains(name) || prefixes.contains { name.hasPrefix($0) }
        }
    }

    public init(process: [String: String], dotEnv: [String: String] = [:]) {
        self.process = process
        self.dotEnv = dotEnv
    }

    /// This environment, limited to what a command declared.
    public func declaring(_ variables: [EnvironmentVariable]) -> Environment {
        var limited = self
        limited.declared = Declared(variables)
        return limited
    }

    private func checkDeclared(_ name: String) {
        if let declared, !declared.allows(name) {
            assertionFailure("\(name) is read but not declared by the command, so its --help does not list it")
        }
    }

    /// The process environment plus `.env` at `dotEnvPath` when that file exists.
    /// - Throws: `DotEnvError` when the file exists but a line is not `KEY=VALUE`.
    public static func current(dotEnvPath: String = ".env") throws(DotEnvError) -> Environment {
        let dotEnv: [String: String]
        if FileManager.default.fileExists(atPath: dotEnvPath) {
            guard let text = try? String(contentsOfFile: dotEnvPath, encoding: .utf8) else {
                throw DotEnvError(path: dotEnvPath, line: 0, message: "cannot read the file")
            }
            dotEnv = try DotEnv.parse(text, path: dotEnvPath)
        } else {
            dotEnv = [:]
        }
        return Environment(process: ProcessInfo.processInfo.environment, dotEnv: dotEnv)
    }

    /// The value of a variable and where it came from; empty values count as unset.
    public func lookup(_ name: String) -> (value: String, source: Source)? {
        checkDeclared(name)
        if let value = process[name], !value.isEmpty { return (value, .process) }
        if let value = dotEnv[name], !value.isEmpty { return (value, .dotEnv) }
        return nil
    }

    /// The value of a variable, process first, then `.env`.
    public subscript(_ name: String) -> String? { lookup(name)?.value }

    /// Every variable name with this prefix, from both sources.
    public func names(withPrefix prefix: String) -> [String] {
        checkDeclared(prefix)
        return Set(process.keys.filter { $0.hasPrefix(prefix) } + dotEnv.keys.filter { $0.hasPrefix(prefix) }).sorted()
    }
}

/// A line of a `.env` file that is not `KEY=VALUE`.
public struct DotEnvError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var message: String
    public var description: String { "\(path):\(line): \(message)" }
}

/// Parses `.env` files: `KEY=VALUE` lines, `export KEY=VALUE`, `#` comments, single or double quotes.
enum DotEnv {
    static func parse(_ text: String, path: String) throws(DotEnvError) -> [String: String] {
        var values: [String: String] = [:]
        // `\r\n` is one Character in Swift, so splitting on "\n" alone would keep a CRLF file in one line.
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            var line = rawLine.trimmingSpaces()
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = line.dropFirst(7).trimmingSpaces() }
            guard let equals = line.firstIndex(of: "=") else {
                throw DotEnvError(path: path, line: index + 1, message: "expected KEY=VALUE")
            }
            let key = line[..<equals].trimmingSpaces()
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw DotEnvError(path: path, line: index + 1, message: "invalid variable name '\(key)'")
            }
            var value = line[line.index(after: equals)...].trimmingSpaces()
            if let quote = value.first, quote == "\"" || quote == "'" {
                guard value.count >= 2, value.last == quote else {
                    throw DotEnvError(path: path, line: index + 1, message: "unterminated quote in \(key)")
                }
                value = String(value.dropFirst().dropLast())
            } else if let comment = value.firstRange(of: " #") {
                value = value[..<comment.lowerBound].trimmingSpaces()
            }
            values[key] = value
        }
        return values
    }
}
