@testable import FlowGuardGateway
@testable import FlowGuardKafka
@testable import FlowGuardSupport
import Foundation
import Logging
import Testing


@Suite("Support: text helpers, the log line formats, librdkafka statistics, what the binary links and allocates with")
struct SupportTests {
    @Test("formatted(decimals:) rounds as printf's %.Nf does")
    func fixedDecimals() {
        #expect(1.5.formatted(decimals: 2) == "1.50")
        #expect(0.125.formatted(decimals: 2) == "0.12")  // 0.125 is exact: ties go to even
        #expect(0.135.formatted(decimals: 2) == "0.14")  // 0.135 is slightly above in binary
        #expect(99.999.formatted(decimals: 1) == "100.0")
        #expect((-2.25).formatted(decimals: 1) == "-2.2")
        #expect(1234.5.formatted(decimals: 0) == "1234")
        #expect(0.0001.formatted(decimals: 3) == "0.000")
        #expect(Double.greatestFiniteMagnitude.formatted(decimals: 2).count == 309 + 3)
        #expect(Double.infinity.formatted(decimals: 2) == "inf")
        for value in [0.0, 3.14159, 1e-7, 12_345.678_9, -0.5] {
            for digits in 0...6 {
                #expect(value.formatted(decimals: digits) == String(format: "%.\(digits)f", value))
            }
        }
    }

    @Test("trimmingSpaces trims spaces and tabs, not line breaks or inner spaces; padded fills to a width")
    func trimmingAndPadding() {
        #expect("  a b \t".trimmingSpaces() == "a b")
        #expect(" \t ".trimmingSpaces() == "")
        #expect("".trimmingSpaces() == "")
        #expect("\u{00A0}x\u{2003}".trimmingSpaces() == "x")
        #expect("x\n".trimmingSpaces() == "x\n")
        #expect("ab".padded(to: 4) == "ab  ")
        #expect("abcde".padded(to: 4) == "abcde")
        #expect("é".padded(to: 2) == "é ")
    }

    @Test("FilePaths joins and splits paths")
    func filePaths() {
        #expect(FilePaths.join("/a/b", "c.json") == "/a/b/c.json")
        #expect(FilePaths.join("/a/b/", "c.json") == "/a/b/c.json")
        #expect(FilePaths.join("a", ".flowguard/x") == "a/.flowguard/x")
        #expect(FilePaths.join("/", "x") == "/x")
        #expect(FilePaths.join("", "x") == "x")
        #expect(FilePaths.parent(of: "/a/b/c") == "/a/b")
        #expect(FilePaths.parent(of: "/a/b/c/") == "/a/b")
        #expect(FilePaths.parent(of: "/a") == "/")
        #expect(FilePaths.parent(of: "a/b") == "a")
        #expect(FilePaths.parent(of: "c") == "")
        #expect(FilePaths.parent(of: "/") == "/")
    }

    @Test("a file error's reason is the system's words, not a dump of its user info")
    func fileErrorReason() {
        do {
            try Data("x".utf8).write(to: URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/out.json"))
            Issue.record("writing into a missing directory succeeded")
        } catch {
            #expect(FileErrors.reason(error) == "No such file or directory")
        }
        #expect(FileErrors.reason(CommandFailure("plain")) == "\(CommandFailure("plain"))")
    }

    @Test("a full non-blocking pipe: a write waits for room instead of dropping the rest")
    func standardStreamWaitsForRoom() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        let (readEnd, writeEnd) = (ends[0], ends[1])
        defer { close(readEnd) }
        #expect(fcntl(writeEnd, F_SETFL, fcntl(writeEnd, F_GETFL) | O_NONBLOCK) == 0)
        // 1 MiB through a 64 KiB pipe: the writer finds it full again and again.
        let message = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
        let writer = PosixThread(name: "test-writer") {
            StandardStream(descriptor: writeEnd).write(message)
            close(writeEnd)
        }
        var received = 0
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(readEnd, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            received += count
        }
        writer.join()
        #expect(received == message.count)
    }

    @Test("the open-file limit: lifted to the hard limit; connections fit under it with 256 to spare")
    func openFileLimit() throws {
        let limit = try #require(OpenFileLimit.raiseToHardLimit())
        #if os(Linux)
        #expect(limit.soft == limit.hard)
        #endif
        #expect(OpenFileLimit.current() == limit)
        #expect(OpenFileLimit(soft: 1024, hard: 4096).connectionCapacity() == 768)
        #expect(OpenFileLimit(soft: 4352, hard: 4352).connectionCapacity() == 4096)
        #expect(OpenFileLimit(soft: 511, hard: 511).connectionCapacity() == 255)
        #expect(OpenFileLimit(soft: 200, hard: 200).connectionCapacity() == 100)
        #expect(OpenFileLimit(soft: 1, hard: 1).connectionCapacity() == 1)
    }

    @Test("process statistics: /proc/self/stat's fields counted from the last ')' of the name; the live process reads plausibly")
    func processStatistics() throws {
        // A command name holding spaces and a ')' of its own, as proc(5) allows.
        let line = "4242 (flow guard) x) S 1 4242 4242 0 -1 4194560 1200 0 0 0 250 50 0 0 20 0 9 0 777 1073741824 2048 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 17 1 0 0 0 0 0\n"
        let parsed = try #require(ProcessStatistics.parse(stat: Array(line.utf8), clockTicksPerSecond: 100, pageSize: 4096))
        #expect(parsed.cpuSeconds == 3.0)
        #expect(parsed.virtualMemoryBytes == 1_073_741_824)
        #expect(parsed.residentMemoryBytes == 2048 * 4096)
        #expect(ProcessStatistics.parse(stat: Array("4242 (short) S 1 2".utf8), clockTicksPerSecond: 100, pageSize: 4096) == nil)
        #expect(ProcessStatistics.parse(stat: Array("no parenthesis".utf8), clockTicksPerSecond: 100, pageSize: 4096) == nil)
        #if os(Linux)
        let current = try #require(ProcessStatistics.current())
        // This test process has loaded the test bundle: more than 1 MiB resident, some CPU spent, stdio open.
        #expect(current.residentMemoryBytes > 1 << 20)
        #expect(current.virtualMemoryBytes >= current.residentMemoryBytes)
        #expect(current.cpuSeconds > 0)
        #expect(try #require(current.openFileDescriptors) >= 3)
        #expect(current.maxFileDescriptors == OpenFileLimit.current()?.soft)
        #endif
    }

    @Test("the Date header: RFC 9110's IMF-fixdate, as Hummingbird writes it")
    func httpDate() {
        #expect(HTTPDate.format(secondsSince1970: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(secondsSince1970: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(secondsSince1970: 1_795_690_935) == "Thu, 26 Nov 2026 11:02:15 GMT")
        #expect(HTTPDate.format(secondsSince1970: 951_825_599) == "Tue, 29 Feb 2000 11:59:59 GMT")
    }

    @Test("the JSON log line: sorted keys (nested too), slashes as they are, metadata over the fixed keys")
    func jsonLogLine() throws {
        let event = LogEvent(
            level: .warning, message: "broker 2 down", metadata: nil, source: nil, file: #fileID, function: #function, line: #line
        )
        let metadata: Logger.Metadata = [
            "http.path": "/api/v1/orders",
            "nested": ["z": "1", "a": ["x", "y"]],
            "label": "override",
        ]
        let line = String(decoding: LineLogHandler.json(event, label: "flowguard", timestamp: "2026-11-26T07:00:00.000Z", metadata: metadata), as: UTF8.self)
        #expect(
            line == #"{"http.path":"/api/v1/orders","label":"override","level":"warning","message":"broker 2 down","#
                + #""nested":{"a":["x","y"],"z":"1"},"timestamp":"2026-11-26T07:00:00.000Z"}"# + "\n"
        )
        let text = LineLogHandler.text(event, label: "flowguard", timestamp: "T", metadata: ["b": "2", "a": "1"])
        #expect(text == "T warning flowguard : a=1 b=2 broker 2 down\n")
    }

    @Test("librdkafka statistics: totals, brokers by node id, bootstrap placeholders left out")
    func kafkaStatistics() throws {
        let json = #"""
            {"name":"rdkafka#producer-1","ts":5087432101,"time":1764140000,"msg_cnt":7,"msg_size":2100,
             "txmsgs":1000,"txmsg_bytes":350000,
             "brokers":{
               "127.0.0.1:40001/bootstrap":{"name":"127.0.0.1:40001/bootstrap","nodeid":-1,"state":"UP","rtt":{"avg":0}},
               "127.0.0.1:40003/3":{"name":"127.0.0.1:40003/3","nodeid":3,"state":"DOWN","outbuf_cnt":2,"waitresp_cnt":1,"rtt":{"avg":1500}},
               "127.0.0.1:40002/2":{"name":"127.0.0.1:40002/2","nodeid":2,"state":"UP","outbuf_cnt":0,"waitresp_cnt":4,"rtt":{"min":10,"avg":250}}
             },
             "topics":{}}
            """#
        let statistics = try #require(KafkaStatistics(json: Array(json.utf8)))
        #expect(statistics.queuedMessages == 7)
        #expect(statistics.queuedBytes == 2100)
        #expect(statistics.transmittedMessages == 1000)
        #expect(statistics.transmittedBytes == 350_000)
        #expect(statistics.timestampMicros == 5_087_432_101)
        #expect(statistics.brokers.map(\.nodeID) == [2, 3])
        #expect(statistics.brokers.map(\.state) == ["UP", "DOWN"])
        #expect(statistics.brokers.map(\.averageRTTSeconds) == [0.000_25, 0.0015])
        #expect(statistics.brokers.map(\.outstandingRequests) == [4, 3])
        #expect(statistics.json == json)
        #expect(KafkaStatistics(json: Array("[1,2]".utf8)) == nil)
        #expect(KafkaStatistics(json: Array("{\"msg_cnt\":".utf8)) == nil)
    }

    @Test("the flowguard binary does not load Foundation or ICU (FoundationEssentials only): 8 MB less resident")
    func linksFoundationEssentialsOnly() throws {
        // The dynamic loader lists what it loads and exits, without running the program (what ldd does).
        let loader = Process()
        let output = Pipe()
        loader.executableURL = URL(fileURLWithPath: flowguardBinary)
        loader.environment = ["LD_TRACE_LOADED_OBJECTS": "1"]
        loader.standardOutput = output
        try loader.run()
        let libraries = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        loader.waitUntilExit()
        try #require(loader.terminationStatus == 0)
        #expect(libraries.contains("libFoundationEssentials.so"))
        #expect(!libraries.contains("libFoundation.so"))
        #expect(!libraries.contains("libFoundationInternationalization.so"))
        #expect(!libraries.contains("lib_FoundationICU.so"))
    }

    @Test("the flowguard binary allocates with jemalloc, not glibc's malloc")
    func allocatesWithJemalloc() throws {
        // jemalloc prints its statistics at exit when asked to; glibc's malloc ignores MALLOC_CONF.
        let process = Process()
        let errors = Pipe()
        process.executableURL = URL(fileURLWithPath: flowguardBinary)
        process.arguments = ["--version"]
        process.environment = ["MALLOC_CONF": "stats_print:true"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(output.contains("Begin jemalloc statistics"))
    }
}
