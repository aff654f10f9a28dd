import FlowGuardJSON

extension [ValidationIssue] {
    /// The FastAPI-compatible 422 body: `{"detail":[{"loc":["body","price"],"msg":"...","type":"..."}]}`.
    public var fastAPIBody: [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(16 + count * 96)
        JSONWriter.appendRaw(#"{"detail":["#, to: &body)
        for (position, issue) in enumerated() {
            if position > 0 {
                body.append(UInt8(ascii: ","))
            }
            JSONWriter.appendRaw(#"{"loc":["#, to: &body)
            for (step, location) in issue.loc.enumerated() {
                if step > 0 {
                    body.append(UInt8(ascii: ","))
                }
                switch location {
                case .key(let key): JSONWriter.appendString(key, to: &body)
                case .index(let index): JSONWriter.appendInteger(Int64(index), to: &body)
                }
            }
            JSONWriter.appendRaw(#"],"msg":"#, to: &body)
            JSONWriter.appendString(issue.msg, to: &body)
            JSONWriter.appendRaw(#","type":"#, to: &body)
            JSONWriter.appendString(issue.type, to: &body)
            body.append(UInt8(ascii: "}"))
        }
        JSONWriter.appendRaw("]}", to: &body)
        return body
    }
}

extension ValidationFailure {
    /// The FastAPI-compatible 422 body listing these issues.
    public var fastAPIBody: [UInt8] {
        issues.fastAPIBody
    }
}
