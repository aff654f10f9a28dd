import FlowGuardEvents
import FlowGuardSupport
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTPTypes

/// Answers `POST` of one event on the connection's event loop, without Hummingbird's router.
///
/// Through the router, every request crosses threads three times: from the event loop to a task,
/// to the producer's poll thread for Kafka's acknowledgement and back, and to the event loop for
/// the answer. On two cores that machinery costs more than the event's own work. Here the body is
/// read and validated on the event loop, the event is produced with a delivery callback, and the
/// callback hands the answer back to the loop: one crossing, to the poll thread and back.
///
/// The event's own steps, from the API key to the answer, are `EventIngestor`'s, as through the
/// router. What the router's middleware adds around them, this adds with the same shared code: the
/// request id, the access log and metrics, the `Date` and `Server` headers. Everything else goes to
/// the router unchanged: other routes and methods, CORS requests, bodies without a `Content-Length`
/// or over the limit, `Expect`, `Connection: close`, a request that arrives while a routed one is
/// still being answered, and anything after a routed `Connection: close`. Tests run the event
/// requests through both paths and compare the answers; `--event-fast-path off` sends everything to
/// the router.
struct EventFastPath: Sendable {
    /// The request targets that take the fast path, by exact match.
    let routes: [String: EventKind]
    let ingestor: EventIngestor
    let accessLog: AccessLogMiddleware
    let metrics: GatewayMetrics
    /// Whether the CORS middleware has origins to check; such requests go to the router.
    let corsEnabled: Bool
    let serverName: String
    let logger: Logger

    init(components: GatewayComponents) {
        self.routes = Dictionary(uniqueKeysWithValues: GatewayRoutes.eventRoutes.map { ($0.path, $0.kind) })
        self.ingestor = components.ingestor
        self.accessLog = components.accessLog
        self.metrics = components.metrics
        self.corsEnabled = !components.configuration.corsOrigins.isEmpty
        self.serverName = GatewayComponents.serverName
        self.logger = components.logger
    }

    /// The kind of event when `head` can take the fast path; nil sends the request to the router.
    func kind(of head: HTTPRequest) -> EventKind? {
        guard head.method == .post, let path = head.path, let kind = routes[path] else { return nil }
        let fields = head.headerFields
        guard let length = fields[.contentLength].flatMap(Int.init), length <= ingestor.maxBodyBytes else { return nil }
        if fields[.transferEncoding] != nil || fields[.expect] != nil { return nil }
        if corsEnabled && fields[.origin] != nil { return nil }
        if let connection = fields[.connection], connection.lowercased().contains("close") { return nil }
        return kind
    }

    /// Runs one event through the ingestor; `answer` gets the answer once, on the calling thread when
    /// it is known at once, else on the producer's poll thread.
    func handle(
        head: HTTPRequest,
        body: ByteBuffer,
        kind: EventKind,
        requestID: String,
        answer: @escaping @Sendable (JSONAnswer) -> Void
    ) {
        if let refusal = ingestor.refusal(method: head.method, path: head.path ?? "", headers: head.headerFields) {
            return answer(refusal.answer)
        }
        var logger = logger
        logger[metadataKey: LoggingKeys.requestID] = .string(requestID)
        ingestor.ingest(body: body.readableBytesView, kind: kind, requestID: requestID, logger: logger) { result in
            switch result {
            case .success(let success): answer(success)
            case .failure(let error): answer(error.answer)
            }
        }
    }

    /// The response head of `answer`, with the headers the router's answers carry.
    func responseHead(_ answer: JSONAnswer, requestID: String) -> HTTPResponse {
        var fields = answer.headers
        fields[.contentType] = "application/json"
        fields[.contentLength] = String(answer.body.count)
        fields[.xRequestID] = requestID
        fields[.date] = HTTPDate.now
        fields[.server] = serverName
        return HTTPResponse(status: answer.status, headerFields: fields)
    }
}

/// The fast path's place in a connection's pipeline, just before Hummingbird's own handling.
///
/// A request is either taken here from head to end, or passed on whole. While a taken request waits
/// for Kafka, whatever the client sends next is held back, then replayed in order once the answer
/// is written, so pipelined requests are answered in the order they came. Reading stops once the
/// held input ends with a whole request, and while answers cannot be written out.
final class EventFastPathHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum State {
        /// Between requests.
        case idle
        /// Passing a request on to the router.
        case forwarding
        /// Reading the body of a request taken here.
        case collecting(Taken)
        /// Waiting for the answer of a request taken here.
        case answering
    }

    private struct Taken {
        var head: HTTPRequest
        var kind: EventKind
        var body: ByteBuffer?
        let started: ContinuousClock.Instant
    }

    /// What arrived while a taken request was being answered.
    private enum Held {
        case part(HTTPRequestPart)
        case event(Any)
        case error(any Error)
    }

    private let fastPath: EventFastPath
    private var state = State.idle
    /// Requests passed on whose answer has not been written yet.
    private var routedInProgress = 0
    private var held = CircularBuffer<Held>()
    /// Body bytes in `held`: reading goes on while a held request is incomplete, up to a limit.
    private var heldBodyBytes = 0
    /// A `read` asked for while input was held, passed on once the held input is processed.
    private var readHeld = false
    /// A routed request asked to close the connection: Hummingbird answers it and closes its side,
    /// so nothing after it may be taken here.
    private var closing = false
    /// Whether `replayHeld` is running (an answer written during the replay must not start another).
    private var replaying = false

    init(fastPath: EventFastPath) {
        self.fastPath = fastPath
    }

    private var isAnswering: Bool {
        if case .answering = state { return true }
        return false
    }

    /// Whether what arrives now must wait: a taken request is being answered, or older input is still held.
    private var isHolding: Bool { isAnswering || !held.isEmpty }

    /// While a taken request waits, the next request is still read to its end (so that the
    /// slow-client timers its head started are stopped by its end), up to this many body bytes.
    static let maxHeldBodyBytes = 1 << 20

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if isHolding {
            if case .body(let chunk) = part { heldBodyBytes += chunk.readableBytes }
            held.append(.part(part))
        } else {
            process(part, context: context)
        }
    }

    private func process(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        switch (state, part) {
        case (.idle, .head(let head)):
            if routedInProgress == 0, !closing, let kind = fastPath.kind(of: head) {
                state = .collecting(Taken(head: head, kind: kind, body: nil, started: .now))
            } else {
                state = .forwarding
                routedInProgress += 1
                // Hummingbird's own test: it stops after answering such a request.
                if head.headerFields[.connection] == "close" { closing = true }
                context.fireChannelRead(wrapInboundOut(part))
            }
        case (.collecting(var taken), .body(var chunk)):
            state = .idle  // so that `taken` holds the only reference to the body while it grows
            if taken.body == nil {
                taken.body = chunk
            } else {
                taken.body!.writeBuffer(&chunk)
            }
            state = .collecting(taken)
        case (.collecting(let taken), .end):
            state = .answering
            answer(taken, context: context)
        case (.forwarding, .end):
            state = .idle
            context.fireChannelRead(wrapInboundOut(part))
        default:
            // The router's own loop reports anything out of order.
            context.fireChannelRead(wrapInboundOut(part))
        }
    }

    /// What the access log needs of a taken request once it is answered.
    private struct Answered: Sendable {
        let method: HTTPRequest.Method
        let path: String
        let requestID: String
        let started: ContinuousClock.Instant
    }

    private func answer(_ taken: Taken, context: ChannelHandlerContext) {
        let requestID = RequestIDMiddleware.requestID(given: taken.head.headerFields[.xRequestID])
        let answered = Answered(method: taken.head.method, path: taken.head.path ?? "", requestID: requestID, started: taken.started)
        let loopBound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        fastPath.handle(
            head: taken.head, body: taken.body ?? ByteBuffer(), kind: taken.kind, requestID: requestID
        ) { answer in
            if eventLoop.inEventLoop {
                let (handler, context) = loopBound.value
                handler.write(answer, for: answered, context: context)
            } else {
                eventLoop.execute {
                    let (handler, context) = loopBound.value
                    handler.write(answer, for: answered, context: context)
                }
            }
        }
    }

    private func write(_ answer: JSONAnswer, for answered: Answered, context: ChannelHandlerContext) {
        // Counted and logged first: a client that has its answer finds it in the metrics.
        fastPath.metrics.fastPathRequests.add(1, ordering: .relaxed)
        fastPath.accessLog.record(
            method: answered.method, path: answered.path, status: answer.status.code,
            started: answered.started, requestID: answered.requestID
        )
        let head = fastPath.responseHead(answer, requestID: answered.requestID)
        var body = context.channel.allocator.buffer(capacity: answer.body.count)
        body.writeBytes(answer.body)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        state = .idle
        replayHeld(context: context)
    }

    /// Processes what was held back, until it is all done or another taken request waits; then
    /// lets the channel read again.
    private func replayHeld(context: ChannelHandlerContext) {
        // An answer known at once (a duplicate, a refusal) is written during the replay, and its
        // write would start another one.
        guard !replaying else { return }
        // The client is gone: what it sent after the answered request is not processed (through
        // the router it would not be either). Hummingbird's connection-state handler does not pass
        // `channelInactive` on, so this is where the fast path learns of it.
        guard context.channel.isActive else {
            held.removeAll()
            heldBodyBytes = 0
            readHeld = false
            return
        }
        replaying = true
        defer { replaying = false }
        while !isAnswering, let next = held.popFirst() {
            if case .part(.body(let chunk)) = next { heldBodyBytes -= chunk.readableBytes }
            replay(next, context: context)
        }
        if !isHolding {
            context.fireChannelReadComplete()
        }
        if readHeld, mayRead(context: context) {
            readHeld = false
            context.read()
        }
    }

    private func replay(_ held: Held, context: ChannelHandlerContext) {
        switch held {
        case .part(let part): process(part, context: context)
        case .event(let event): context.fireUserInboundEventTriggered(event)
        case .error(let error): context.fireErrorCaught(error)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if !isHolding { context.fireChannelReadComplete() }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Half-closure included: the router's loop would close the connection before the answer.
        if isHolding {
            held.append(.event(event))
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if isHolding {
            held.append(.error(error))
        } else {
            context.fireErrorCaught(error)
        }
    }

    func read(context: ChannelHandlerContext) {
        if mayRead(context: context) {
            context.read()
        } else {
            readHeld = true
        }
    }

    /// Whether to read more now. Not while answers cannot be written out (a client that sends and
    /// never reads), and not while a taken request waits, unless the request held after it is not
    /// complete yet (within `maxHeldBodyBytes`).
    private func mayRead(context: ChannelHandlerContext) -> Bool {
        guard context.channel.isWritable else { return false }
        guard isHolding else { return true }
        if case .part(.end)? = held.last { return false }
        return !held.isEmpty && heldBodyBytes < Self.maxHeldBodyBytes
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if readHeld, mayRead(context: context) {
            readHeld = false
            context.read()
        }
        context.fireChannelWritabilityChanged()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // Only the router's answers pass here (the fast path writes from this handler's context, past it).
        if case .end = unwrapOutboundIn(data), routedInProgress > 0 {
            routedInProgress -= 1
        }
        context.write(data, promise: promise)
    }
}
