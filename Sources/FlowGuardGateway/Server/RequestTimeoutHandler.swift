import NIOCore
import NIOHTTPTypes

/// Closes connections of clients that are too slow (slowloris): the first request head must arrive
/// within `headerTimeout` of connecting, a later one within `idleTimeout` of the previous answer,
/// and a body within `bodyTimeout` of its head.
///
/// Each request moves a deadline; one timer per connection checks it every `tick` (a quarter of the
/// shortest timeout, 10 ms to 1 s), so a busy connection schedules no timer per request. A slow
/// client is therefore closed between its timeout and its timeout plus one tick.
final class RequestTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let headerTimeout: TimeAmount
    private let bodyTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private let tick: TimeAmount
    /// When the connection is closed unless the client makes progress; nil while a request is being answered.
    private var deadline: NIODeadline?
    private var timer: Scheduled<Void>?

    init(headerTimeout: TimeAmount, bodyTimeout: TimeAmount, idleTimeout: TimeAmount) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        let shortest = min(headerTimeout, bodyTimeout, idleTimeout)
        self.tick = min(.seconds(1), max(.milliseconds(10), .nanoseconds(shortest.nanoseconds / 4)))
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context: context, after: headerTimeout) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context: context, after: headerTimeout)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: arm(context: context, after: bodyTimeout)
        case .body: break
        case .end: deadline = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            arm(context: context, after: idleTimeout)
        }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    private func arm(context: ChannelHandlerContext, after timeout: TimeAmount) {
        deadline = .now() + timeout
        if timer == nil { scheduleCheck(context: context) }
    }

    /// Checks the deadline every tick while there is one; stops when there is none (`arm` restarts it).
    private func scheduleCheck(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: tick) {
            let (handler, context) = loopBound.value
            handler.timer = nil
            guard let deadline = handler.deadline else { return }
            if deadline <= .now() {
                handler.deadline = nil
                context.close(promise: nil)
            } else {
                handler.scheduleCheck(context: context)
            }
        }
    }

    private func disarm() {
        deadline = nil
        timer?.cancel()
        timer = nil
    }
}
