import CoreMetrics
import HubCore
import Logging
import NIOCore
import NIOHTTPTypes

/// Closes an HTTP/1 connection whose client is too slow to send a request: the request head must
/// arrive complete within ``Limits/head`` of the connection opening or of the previous response
/// ending, and its body within ``Limits/body`` of the head. Together with Hummingbird's idle
/// timeout this bounds how long a slow or silent client holds a connection (a "slowloris" that
/// drips one header byte a second is closed after ``Limits/head``). Each close is counted by
/// phase (`earshot_hub_http_timeouts_total`) and logged.
///
/// Sits after Hummingbird's HTTP/1 codec (`HTTP1Channel.Configuration.additionalChannelHandlers`),
/// so it sees whole request parts. One instance per connection; NIO calls it on the channel's event
/// loop only, so it is not `Sendable`.
final class HTTPTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// What the client was sending when its time ran out.
    typealias Phase = HTTPRequestPhase

    /// How long a client may take.
    struct Limits: Sendable, Equatable {
        /// To send a complete request head, from the connection opening or the previous response's end.
        var head: TimeAmount
        /// To send a complete request body, from its head.
        var body: TimeAmount
    }

    private let limits: Limits
    private let counters: [Phase: CoreMetrics.Counter]
    private let logger: Logger
    /// Requests whose head was read and whose response has not ended.
    private var requestsInProgress = 0
    private var timer: Scheduled<Void>?

    init(limits: Limits, counters: [Phase: CoreMetrics.Counter], logger: Logger) {
        self.limits = limits
        self.counters = counters
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(.head, context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(.head, context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancel()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { cancel() }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            requestsInProgress += 1
            start(.body, context: context)
        case .body: break
        case .end:
            // The application has the whole request; how long it takes to answer is not the client's doing.
            // If it answered before the body ended (a refused upload), the next request's head is due.
            if requestsInProgress > 0 { cancel() } else { start(.head, context: context) }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            requestsInProgress = max(0, requestsInProgress - 1)
            if requestsInProgress == 0 { start(.head, context: context) }
        }
        context.write(data, promise: promise)
    }

    private func start(_ phase: Phase, context: ChannelHandlerContext) {
        cancel()
        let limit = phase == .head ? limits.head : limits.body
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: limit) { [self] in
            timer = nil
            counters[phase]?.increment()
            logger.info(
                "http.connection.timeout",
                metadata: ["http.phase": "\(phase.rawValue)", "http.remote": "\(context.channel.remoteAddress.map { "\($0)" } ?? "?")"])
            context.close(promise: nil)
        }
    }

    private func cancel() {
        timer?.cancel()
        timer = nil
    }
}
