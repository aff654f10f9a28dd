import CYaml

/// Owns one libyaml parser over a byte buffer and hands out its events one at a time.
///
/// Not thread-safe: a `yaml_parser_t` holds parsing state, so use an instance from one task only.
final class YAMLParser {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeMutableBufferPointer<UInt8>
    private let inputCount: Int

    /// Creates a parser over UTF-8 (or BOM-marked UTF-16) YAML text.
    /// - Throws: `YAMLError` when libyaml cannot allocate its parser.
    init(bytes: [UInt8]) throws(YAMLError) {
        // libyaml keeps only a pointer to the input and reads it while parsing, so the parser owns a
        // copy that lives exactly as long as the yaml_parser_t.
        input = .allocate(capacity: max(bytes.count, 1))
        _ = input.initialize(fromContentsOf: bytes)
        inputCount = bytes.count
        parser = .allocate(capacity: 1)
        guard yaml_parser_initialize(parser) == 1 else {
            // deinit does not run for a throwing init, and the parser was never set up.
            parser.deallocate()
            input.deallocate()
            throw YAMLError(line: 1, column: 1, message: "libyaml could not allocate a parser")
        }
        yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    /// Parses up to the next event.
    /// - Throws: `YAMLError` with the position libyaml reports for invalid YAML.
    func nextEvent() throws(YAMLError) -> YAMLEvent {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else {
            throw currentError()
        }
        // The event owns C strings (anchor, tag, value); everything is copied into Swift first.
        defer { yaml_event_delete(&event) }
        return YAMLEvent(converting: event)
    }

    private func currentError() -> YAMLError {
        let state = parser.pointee
        let problem = state.problem.map { String(cString: $0) } ?? "unknown libyaml error"
        switch state.error {
        case YAML_MEMORY_ERROR:
            return YAMLError(line: 1, column: 1, message: "libyaml ran out of memory")
        case YAML_READER_ERROR:
            // Reader errors (bad encoding, control characters) carry a byte offset, not a mark.
            let position = source.position(ofByteOffset: state.problem_offset)
            var message = problem
            if state.problem_value != -1 {
                let hex = String(state.problem_value, radix: 16, uppercase: true)
                message += " (found 0x\(hex.count < 2 ? "0" + hex : hex))"
            }
            return YAMLError(line: position.line + 1, column: position.column + 1, message: message)
        default:
            return markedError(state, problem: problem)
        }
    }

    private func markedError(_ state: yaml_parser_t, problem: String) -> YAMLError {
        let mark = state.problem_mark
        let line = Int(mark.line)
        let column = Int(mark.column)
        if let tab = tabMessage(problem: problem, line: line, column: column) {
            return YAMLError(line: line + 1, column: column + 1, message: tab)
        }
        var message = problem
        if let context = state.context.map({ String(cString: $0) }) {
            let start = state.context_mark
            message += " (\(context) that starts at line \(start.line + 1), column \(start.column + 1))"
        }
        return YAMLError(line: line + 1, column: column + 1, message: message)
    }

    /// A clear message when libyaml stumbled over a tab, which YAML forbids for indentation.
    private func tabMessage(problem: String, line: Int, column: Int) -> String? {
        let character = source.character(line: line, column: column)
        let mentionsTab = problem.contains("tab character")
        guard mentionsTab || character?.scalar == "\t" else { return nil }
        if mentionsTab || character?.onlyIndentationBefore == true {
            return "tab character used for indentation; YAML indents with spaces only"
        }
        return "tab character where YAML expects a space; use spaces instead"
    }

    private var source: YAMLSourceText {
        YAMLSourceText(bytes: Array(input.prefix(inputCount)))
    }
}
