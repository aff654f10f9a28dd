/// A JSON value as parsed by ``JSONParser``: numbers keep their exact lexeme and object members keep
/// their order.
public enum JSONValue: Sendable, Equatable {
    /// The literal `null`.
    case null
    /// The literal `true` or `false`.
    case bool(Bool)
    /// A number, kept as written.
    case number(JSONNumber)
    /// A string, with its escapes decoded.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object; member order is kept.
    case object(JSONObject)
}

