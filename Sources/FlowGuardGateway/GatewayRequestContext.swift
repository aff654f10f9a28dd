import Hummingbird

/// The request context of the gateway: Hummingbird's core storage plus the request id.
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's `X-Request-ID` when it sent a usable one, else a new id.
    public var requestID: String = ""

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }

    /// Bodies are collected by the handlers with their own limit.
    public var maxUploadSize: Int { 64 * 1024 }
}
