import HTTPTypes

extension HTTPField.Name {
    /// The request id, echoed on every answer.
    static let xRequestID = HTTPField.Name("X-Request-ID")!
    /// `true` on the answer to a retry of an event already stored.
    static let xDuplicate = HTTPField.Name("X-Duplicate")!
    /// The API key, when the client does not use `Authorization: Bearer`.
    static let xAPIKey = HTTPField.Name("X-API-Key")!
}
