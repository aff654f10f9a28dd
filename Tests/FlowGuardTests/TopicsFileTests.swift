@testable import FlowGuardConfig
@testable import FlowGuardKafka
import Foundation
import Testing


/// A valid file with one topic; line 2 is `  - name: …` (entry at column 5, name value at column 11),
/// line 3 `    partitions: 3` (value at column 17), line 4 `    replication_factor: 2` (value at column 25).
private let oneTopic = """
    topics:
      - name: raw.orders.v1
        partitions: 3
        replication_factor: 2

    """

/// Parses `yaml` and checks that it fails with exactly this position, key path and message.
private func expectFailure(
    _ yaml: String,
    line: Int,
    column: Int,
    key: String?,
    message: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        let file = try TopicsFile.parse(yaml, path: "topics.yaml")
        Issue.record("expected an error, got \(file.topics)", sourceLocation: sourceLocation)
    } catch {
        let expected = TopicsFileError(path: "topics.yaml", line: line, column: column, key: key, message: message)
        #expect(error == expected, sourceLocation: sourceLocation)
    }
}

@Suite("topics.yaml")
struct TopicsFileTests {
    // MARK: The shipped file and loading

    @Test func shippedFileDeclaresOrdersAndClicks() throws {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("config/kafka/topics.yaml").path

        let file = try TopicsFile.load(path: path)

        let config = { (retention: String) in
            ["retention.ms": retention, "cleanup.policy": "delete", "min.insync.replicas": "1", "compression.type": "producer"]
        }
        #expect(file == TopicsFile(path: path, topics: [
            TopicSpec(
                name: "raw.orders.v1", partitions: 3, replicationFactor: 2,
                description: "Order events from the food-ordering product", config: config("604800000")
            ),
            TopicSpec(
                name: "raw.clicks.v1", partitions: 6, replicationFactor: 2,
                description: "Ad click and impression events", config: config("172800000")
            ),
            TopicSpec(
                name: "attributed.orders.v1", partitions: 3, replicationFactor: 2,
                description: "Orders credited to the ad that led to them, by flowguard attribute (one record per order)", config: config("604800000")
            ),
        ]))
        #expect(file.topic(named: "raw.clicks.v1")?.partitions == 6)
        #expect(file.topic(named: "raw.missing.v1") == nil)
    }

    @Test func loadOfMissingFileFailsNamingTheFile() {
        let path = "/nonexistent-flowguard-dir/topics.yaml"
        #expect(throws: TopicsFileError(path: path, message: "cannot read the topics file: no such file")) {
            try TopicsFile.load(path: path)
        }
        #expect(TopicsFileError(path: path, message: "cannot read the topics file: no such file").description
            == "/nonexistent-flowguard-dir/topics.yaml: cannot read the topics file: no such file")
    }

    @Test func loadOfDirectoryFailsNamingTheFile() {
        let path = FileManager.default.temporaryDirectory.path
        #expect(throws: TopicsFileError(path: path, message: "cannot read the topics file: it is a directory")) {
            try TopicsFile.load(path: path)
        }
    }

    @Test func errorDescriptionReadsLikeACompilerDiagnostic() {
        let error = TopicsFileError(
            path: "config/kafka/topics.yaml", line: 12, column: 5, key: "topics[1].partitions",
            message: "must be an integer >= 1, got 0"
        )
        #expect(error.description == "config/kafka/topics.yaml:12:5: topics[1].partitions: must be an integer >= 1, got 0")
    }

    // MARK: Optional keys and values kept as text

    @Test func optionalKeysMayBeOmittedAndConfigValuesKeepTheirText() throws {
        let file = try TopicsFile.parse(oneTopic + """
              - name: raw.flow.v1
                description:
                partitions: 1
                replication_factor: 1
                config: {unclean.leader.election.enable: true, min.cleanable.dirty.ratio: 0.5, segment.ms: "3600000"}

            """, path: "topics.yaml")

        #expect(file.topics == [
            TopicSpec(name: "raw.orders.v1", partitions: 3, replicationFactor: 2),
            TopicSpec(name: "raw.flow.v1", partitions: 1, replicationFactor: 1, config: [
                "unclean.leader.election.enable": "true", "min.cleanable.dirty.ratio": "0.5", "segment.ms": "3600000",
            ]),
        ])
    }

    @Test func longestLegalTopicNameIsAccepted() throws {
        let name = String(repeating: "a", count: 249)
        let file = try TopicsFile.parse(oneTopic.replacingOccurrences(of: "raw.orders.v1", with: name), path: "topics.yaml")
        #expect(file.topics.map(\.name) == [name])
    }

    // MARK: YAML syntax

    @Test func tabUsedForIndentationIsReportedAsSuch() {
        expectFailure(
            "topics:\n  - name: raw.orders.v1\n\tpartitions: 3\n",
            line: 3, column: 1, key: nil,
            message: "tab character used for indentation; YAML indents with spaces only"
        )
    }

    @Test func tabAfterSequenceDashIsReportedAsIndentation() {
        expectFailure(
            "topics:\n  -\tname: raw.orders.v1\n",
            line: 2, column: 4, key: nil,
            message: "tab character used for indentation; YAML indents with spaces only"
        )
    }

    @Test func tabIndentationIsLocatedInCRLFFiles() {
        expectFailure(
            oneTopic.replacingOccurrences(of: "\n", with: "\r\n") + "\tdescription: orders\r\n",
            line: 5, column: 1, key: nil,
            message: "tab character used for indentation; YAML indents with spaces only"
        )
    }

    @Test func invalidUTF8IsReportedWithItsPosition() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("topics-\(UUID().uuidString).yaml").path
        // Column 16 counts characters: the two-byte 'ä' is one column.
        let bytes = Array("topics:\n  - name: raw.ä".utf8) + [0xFF, 0x0A]
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }

        #expect(throws: TopicsFileError(path: path, line: 2, column: 16, message: "invalid leading UTF-8 octet (found 0xFF)")) {
            try TopicsFile.load(path: path)
        }
    }

    @Test func invalidSyntaxReportsLibyamlPosition() {
        expectFailure(
            "topics:\n  - name: raw.orders.v1\n   partitions: 3\n",
            line: 3, column: 4, key: nil,
            message: "did not find expected '-' indicator (while parsing a block collection that starts at line 2, column 3)"
        )
    }

    @Test func anchorsAreRejected() {
        expectFailure(
            oneTopic + "  - name: raw.clicks.v1\n    partitions: &p 6\n    replication_factor: 2\n",
            line: 6, column: 17, key: nil,
            message: "anchors (&p) are not supported; write the value out"
        )
    }

    @Test func secondDocumentIsRejected() {
        expectFailure(
            oneTopic + "---\ntopics: []\n",
            line: 5, column: 1, key: nil,
            message: "expected a single YAML document, found a second one"
        )
    }

    // MARK: Top level

    @Test func topLevelMustBeAMapping() {
        expectFailure(
            "- name: raw.orders.v1\n",
            line: 1, column: 1, key: nil,
            message: "the top level must be a mapping with a 'topics' key, got a sequence"
        )
    }

    @Test func emptyFileLacksTopics() {
        expectFailure(
            "# nothing yet\n",
            line: 1, column: 1, key: "topics",
            message: "missing required key 'topics'; the file is empty"
        )
    }

    @Test func missingTopicsKeyPointsAtTheTopLevelMapping() {
        expectFailure(
            "# header\n{}\n",
            line: 2, column: 1, key: "topics",
            message: "missing required key 'topics'"
        )
    }

    @Test func unknownTopLevelKeySuggestsTopics() {
        expectFailure(
            oneTopic + "topic: []\n",
            line: 5, column: 1, key: "topic",
            message: "unknown key 'topic' (did you mean 'topics'?); allowed keys: topics"
        )
        expectFailure(
            "# header\nkafka_topics: []\n",
            line: 2, column: 1, key: "kafka_topics",
            message: "unknown key 'kafka_topics'; allowed keys: topics"
        )
    }

    @Test func topicsMustBeASequence() {
        expectFailure(
            "topics:\n  name: raw.orders.v1\n",
            line: 2, column: 3, key: "topics",
            message: "must be a sequence of topics (entries starting with '- '), got a mapping"
        )
    }

    @Test func topicsMustNotBeEmpty() {
        expectFailure(
            "topics: []\n",
            line: 1, column: 9, key: "topics",
            message: "must list at least one topic"
        )
    }

    // MARK: Topic entries

    @Test func entryMustBeAMapping() {
        expectFailure(
            oneTopic + "  - raw.clicks.v1\n",
            line: 5, column: 5, key: "topics[1]",
            message: "must be a mapping with keys name, partitions and replication_factor, got \"raw.clicks.v1\""
        )
    }

    @Test(arguments: ["name", "partitions", "replication_factor"])
    func missingRequiredKeyPointsAtTheEntry(key: String) {
        let lines = ["topics:", "  - description: no \(key)", "    name: raw.orders.v1", "    partitions: 3", "    replication_factor: 2"]
        let yaml = lines.filter { !$0.hasPrefix("    \(key):") }.joined(separator: "\n") + "\n"
        expectFailure(
            yaml,
            line: 2, column: 5, key: "topics[0].\(key)",
            message: "missing required key '\(key)'"
        )
    }

    @Test func unknownKeySuggestsTheClosestAllowedKey() {
        expectFailure(
            "topics:\n  - name: raw.orders.v1\n    partition: 3\n    replication_factor: 2\n",
            line: 3, column: 5, key: "topics[0].partition",
            message: "unknown key 'partition' (did you mean 'partitions'?); allowed keys: name, description, partitions, replication_factor, config"
        )
    }

    @Test func unknownKeyWithoutCloseMatchListsAllowedKeys() {
        expectFailure(
            oneTopic + "    owner: payments\n",
            line: 5, column: 5, key: "topics[0].owner",
            message: "unknown key 'owner'; allowed keys: name, description, partitions, replication_factor, config"
        )
    }

    @Test func duplicateKeyInAMappingNamesTheFirstLine() {
        expectFailure(
            oneTopic + "    partitions: 4\n",
            line: 5, column: 5, key: "topics[0].partitions",
            message: "duplicate key 'partitions'; first given at line 3"
        )
    }

    @Test func duplicateConfigKeyIsRejected() {
        expectFailure(
            oneTopic + "    config:\n      retention.ms: 1\n      retention.ms: 2\n",
            line: 7, column: 7, key: "topics[0].config.retention.ms",
            message: "duplicate key 'retention.ms'; first given at line 6"
        )
    }

    // MARK: Types

    @Test func partitionsThatIsNotANumberIsATypeError() {
        expectFailure(
            oneTopic.replacingOccurrences(of: "partitions: 3", with: "partitions: three"),
            line: 3, column: 17, key: "topics[0].partitions",
            message: "must be an integer >= 1, got \"three\""
        )
    }

    @Test func quotedNumberIsATypeError() {
        expectFailure(
            oneTopic.replacingOccurrences(of: "partitions: 3", with: "partitions: \"3\""),
            line: 3, column: 17, key: "topics[0].partitions",
            message: "must be an integer >= 1, got the quoted string \"3\" (write numbers without quotes)"
        )
    }

    @Test(arguments: ["3.5", "0x3", "3e0", "+-3", "1_000"])
    func onlyPlainDecimalIntegersAreAccepted(text: String) {
        expectFailure(
            oneTopic.replacingOccurrences(of: "replication_factor: 2", with: "replication_factor: \(text)"),
            line: 4, column: 25, key: "topics[0].replication_factor",
            message: "must be an integer >= 1, got \"\(text)\""
        )
    }

    @Test func leadingZerosAreRejected() {
        expectFailure(
            oneTopic.replacingOccurrences(of: "partitions: 3", with: "partitions: 010"),
            line: 3, column: 17, key: "topics[0].partitions",
            message: "must be an integer >= 1 without leading zeros, got 010"
        )
    }

    @Test func mappingWhereAScalarBelongsIsATypeError() {
        expectFailure(
            oneTopic.replacingOccurrences(of: "partitions: 3", with: "partitions:\n      count: 3"),
            line: 4, column: 7, key: "topics[0].partitions",
            message: "must be an integer >= 1, got a mapping"
        )
        expectFailure(
            oneTopic.replacingOccurrences(of: "name: raw.orders.v1", with: "name: [raw.orders.v1]"),
            line: 2, column: 11, key: "topics[0].name",
            message: "must be a topic name, got a sequence"
        )
        expectFailure(
            oneTopic + "    description: {text: orders}\n",
            line: 5, column: 18, key: "topics[0].description",
            message: "must be a string, got a mapping"
        )
    }

    @Test func configMustBeAMapping() {
        expectFailure(
            oneTopic + "    config:\n      - retention.ms: 1\n",
            line: 6, column: 7, key: "topics[0].config",
            message: "must be a mapping of Kafka topic configs (name: value), got a sequence"
        )
    }

    @Test func configValueMustBeAScalar() {
        expectFailure(
            oneTopic + "    config:\n      cleanup.policy: [delete, compact]\n",
            line: 6, column: 23, key: "topics[0].config.cleanup.policy",
            message: "must be a single value (string or number), got a sequence"
        )
        expectFailure(
            oneTopic + "    config:\n      retention:\n        ms: 1000\n",
            line: 7, column: 9, key: "topics[0].config.retention",
            message: "must be a single value (string or number), got a mapping"
        )
    }

    // MARK: Ranges and names

    @Test func partitionsBelowOneAreRejected() {
        expectFailure(
            oneTopic + "  - name: raw.clicks.v1\n    partitions: 0\n    replication_factor: 2\n",
            line: 6, column: 17, key: "topics[1].partitions",
            message: "must be an integer >= 1, got 0"
        )
    }

    @Test func replicationFactorBelowOneIsRejected() {
        expectFailure(
            oneTopic.replacingOccurrences(of: "replication_factor: 2", with: "replication_factor: -1"),
            line: 4, column: 25, key: "topics[0].replication_factor",
            message: "must be an integer >= 1, got -1"
        )
    }

    @Test func replicationFactorAboveKafkaLimitIsRejected() {
        expectFailure(
            oneTopic.replacingOccurrences(of: "replication_factor: 2", with: "replication_factor: 40000"),
            line: 4, column: 25, key: "topics[0].replication_factor",
            message: "must be at most 32767, got 40000"
        )
    }

    @Test func duplicateTopicNameNamesBothLines() {
        expectFailure(
            oneTopic + "  - name: raw.clicks.v1\n    partitions: 6\n    replication_factor: 2\n"
                + "  - name: raw.orders.v1\n    partitions: 1\n    replication_factor: 1\n",
            line: 8, column: 11, key: "topics[2].name",
            message: "duplicate topic name 'raw.orders.v1'; first declared at line 2 (topics[0])"
        )
    }

    @Test func namesCollidingInKafkaMetricsAreRejected() {
        expectFailure(
            oneTopic + "  - name: raw_orders.v1\n    partitions: 1\n    replication_factor: 1\n",
            line: 5, column: 11, key: "topics[1].name",
            message: "topic name 'raw_orders.v1' collides with 'raw.orders.v1' at line 2 (topics[0]); "
                + "Kafka treats '.' and '_' as the same character in topic metric names"
        )
    }

    @Test(arguments: [
        ("raw orders", "invalid topic name 'raw orders': character 4 is ' ' (space); Kafka allows only ASCII letters, digits, '.', '_' and '-'"),
        ("raw/orders", "invalid topic name 'raw/orders': character 4 is '/'; Kafka allows only ASCII letters, digits, '.', '_' and '-'"),
        ("bestellungen.ä", "invalid topic name 'bestellungen.ä': character 14 is 'ä'; Kafka allows only ASCII letters, digits, '.', '_' and '-'"),
        ("'.'", "'.' is not a valid topic name"),
        ("'..'", "'..' is not a valid topic name"),
        ("''", "topic name must not be empty"),
        (String(repeating: "a", count: 250), "topic name is 250 characters long; Kafka allows at most 249"),
    ])
    func invalidKafkaTopicNamesAreRejected(name: String, message: String) {
        expectFailure(
            oneTopic.replacingOccurrences(of: "raw.orders.v1", with: name),
            line: 2, column: 11, key: "topics[0].name",
            message: message
        )
    }
}
