/// Every issue found while validating one value: the failure type of ``EventDecoder/validate(_:as:location:)``.
///
/// `Result` needs an `Error` as its failure, which `[ValidationIssue]` is not; this wrapper is a
/// random-access collection of the issues, so `allIssues.append(contentsOf: failure)` works.
public struct ValidationFailure: Error, Sendable, Equatable, RandomAccessCollection {
    /// The issues, in the order they were found.
    public var issues: [ValidationIssue]

    /// Creates a failure from its issues.
    /// - Parameter issues: The issues, in the order they were found.
    public init(_ issues: [ValidationIssue]) {
        self.issues = issues
    }

    public var startIndex: Int { issues.startIndex }
    public var endIndex: Int { issues.endIndex }

    public subscript(position: Int) -> ValidationIssue {
        issues[position]
    }
}
