@testable import FlowGuardCLI
@testable import FlowGuardConfig
@testable import FlowGuardSupport
import Foundation
import Synchronization

/// Output captured from an in-process `FlowGuardCLI.main` run.
final class CapturedOutput: Sendable {
    private let out = Mutex("")
    private let error = Mutex("")

    var stream: CommandOutput {
        CommandOutput(
            out: { text in self.out.withLock { $0 += text } },
            error: { text in self.error.withLock { $0 += text } }
        )
    }

    var standardOutput: String { out.withLock { $0 } }
    var standardError: String { error.withLock { $0 } }
}

/// Runs the command line in-process.
func runCLI(_ arguments: [String]) async -> (code: Int32, out: String, err: String) {
    let captured = CapturedOutput()
    let code = await FlowGuardCLI.main(arguments, output: captured.stream)
    return (code, captured.standardOutput, captured.standardError)
}

/// The package root, from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The built `flowguard` binary.
var flowguardBinary: String { packageRoot.appendingPathComponent(".build/debug/flowguard").path }

/// A fresh working directory with a copy of config/kafka/topics.yaml.
func makeWorkingDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowguard-test-\(UUID().uuidString)")
    let config = directory.appendingPathComponent("config/kafka")
    try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
        at: packageRoot.appendingPathComponent("config/kafka/topics.yaml"), to: config.appendingPathComponent("topics.yaml")
    )
    return directory
}

/// A `flowguard` child process with its output collected.
final class ChildProcess: @unchecked Sendable {  // Process is used from one test task at a time.
    let process = Process()
    private let outPipe = Pipe()
    private let errPipe = Pipe()

    /// - Parameter openFiles: Starts the binary with these limits on open files (`ulimit -Sn`, and `-Hn`
    ///   when given) instead of the test process's own.
    init(_ arguments: [String], directory: URL, environment: [String: String] = [:], openFiles: (soft: Int, hard: Int?)? = nil) throws {
        if let openFiles {
            let hard = openFiles.hard.map { " && ulimit -Hn \($0)" } ?? ""
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -Sn \(openFiles.soft)\(hard) && exec \"$0\" \"$@\"", flowguardBinary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: flowguardBinary)
            process.arguments = arguments
        }
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "KAFKA_BOOTSTRAP_SERVERS")
        // Parallel tests start many gateways: none binds the console's :8080 unless a test asks.
        env["FLOWGUARD_CONSOLE"] = "off"
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardOutput = outPipe
        process.standardError = errPipe
        try process.run()
    }

    /// Waits for exit, at most `timeout`; kills it after that.
    func wait(timeout: Duration = .seconds(30)) async -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Ends the process at once if it still runs (for a test's `defer`, after an early exit).
    func killIfRunning() {
        if process.isRunning {
            signal(SIGKILL)
            process.waitUntilExit()
        }
    }

    var output: String { String(decoding: outPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
    var errorOutput: String { String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
}

/// Runs `flowguard` to completion.
func runBinary(_ arguments: [String], directory: URL, environment: [String: String] = [:], timeout: Duration = .seconds(60)) async throws -> (code: Int32, out: String, err: String) {
    let child = try ChildProcess(arguments, directory: directory, environment: environment)
    let code = await child.wait(timeout: timeout)
    return (code, child.output, child.errorOutput)
}

/// Waits until the discovery file of `directory` names a live cluster.
func waitForDiscovery(in directory: URL, timeout: Duration = .seconds(20)) async throws -> ClusterDiscovery.Entry? {
    let discovery = ClusterDiscovery(directory: directory.path)
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if let entry = discovery.read() { return entry }
        try await Task.sleep(for: .milliseconds(100))
    }
    return nil
}
