@testable import FlowGuardAttribution
@testable import FlowGuardCLI
@testable import FlowGuardSupport
import Testing

@Suite("attribute: the command's options")
struct AttributeCommandTests {
    private func parse(_ arguments: [String]) throws -> AttributionJobConfiguration {
        let parsed = try ParsedArguments(command: AttributeCommand.name, arguments: arguments, options: AttributeCommand.options)
        return try AttributeCommand.configuration(from: parsed)
    }

    @Test("the defaults: group flowguard-attribution, 24h clicks, 1h views, 30s lateness, attributed.orders.v1")
    func defaults() throws {
        let configuration = try parse([])
        #expect(configuration.groupID == "flowguard-attribution")
        #expect(configuration.windows == AttributionWindows(click: .seconds(86_400), view: .seconds(3600), allowedLateness: .seconds(30), outOfOrderness: .milliseconds(250)))
        #expect(configuration.outputTopic == "attributed.orders.v1")
        #expect(configuration.ordersTopic == "raw.orders.v1" && configuration.clicksTopic == "raw.clicks.v1")
    }

    @Test("every option sets what it names")
    func options() throws {
        let configuration = try parse([
            "--group", "g2", "--click-window", "10m", "--view-window", "90s", "--allowed-lateness", "2s", "--out-of-order", "100ms", "--output", "x.v1",
            "--transactions", "on",
        ])
        #expect(configuration.groupID == "g2")
        #expect(configuration.windows == AttributionWindows(click: .seconds(600), view: .seconds(90), allowedLateness: .seconds(2), outOfOrderness: .milliseconds(100)))
        #expect(configuration.outputTopic == "x.v1")
        #expect(configuration.transactional)
        #expect(try !parse(["--transactions", "off"]).transactional)
    }

    @Test("a bad value exits 64 naming the option, before any Kafka is looked for")
    func usageErrors() async {
        let cases: [([String], String)] = [
            (["--click-window", "0s"], "--click-window"),
            (["--view-window", "soon"], "--view-window"),
            (["--allowed-lateness", "-1s"], "--allowed-lateness"),
            (["--transactions", "maybe"], "--transactions"),
            (["--metrics-port", "70000"], "--metrics-port"),
            (["--group", ""], "--group"),
            (["--click-windw", "1h"], "did you mean '--click-window'?"),
            (["orders"], "unexpected argument 'orders'"),
        ]
        for (arguments, expected) in cases {
            let result = await runCLI(["attribute"] + arguments)
            #expect(result.code == 64, "\(arguments)")
            #expect(result.err.contains(expected), "\(arguments): \(result.err)")
        }
    }
}
