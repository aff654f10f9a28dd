import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1.1 child channel with FlowGuard's handlers in it: the slow-client timeouts,
/// and the event fast path after Hummingbird's connection-state handler, so that its idle timeout
/// and graceful shutdown count the requests the fast path answers.
///
/// The pipeline is Hummingbird's `HTTP1Channel`'s, in the same order with the same settings;
/// `HTTP1Channel` only lets extra handlers in before the connection-state handler.
struct GatewayHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let timeouts: (header: TimeAmount, body: TimeAmount, idle: TimeAmount)
    /// Nil sends every request to the router.
    let fastPath: EventFastPath?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            // Hummingbird's defaults (`HTTP1Channel.Configuration.DecoderConfiguration`).
            var limits = NIOHTTPDecoderLimitConfiguration()
            limits.maxHeaderFieldSize = 80 * 1024
            limits.maxHeaderListSize = 80 * 1024
            limits.maxHeaderFieldCount = 1000
            let pipeline = channel.pipeline.syncOperations
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: false,
                withErrorHandling: false,
                withOutboundHeaderValidation: false,
                withEncoderConfiguration: .init(),
                withDecoderLimitConfiguration: limits
            )
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try pipeline.addHandler(
                RequestTimeoutHandler(headerTimeout: timeouts.header, bodyTimeout: timeouts.body, idleTimeout: timeouts.idle)
            )
            try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: .init(timeouts.idle), logger: logger))
            if let fastPath {
                try pipeline.addHandler(EventFastPathHandler(fastPath: fastPath))
            }
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}
