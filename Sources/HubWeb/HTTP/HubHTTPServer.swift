import HubCore
import Hummingbird
import Logging
import NIOCore

extension HubHTTPRoutes {
    /// The hub's HTTP server: these routes on Hummingbird's HTTP/1 server, with the request head and body
    /// timeouts (`http.header_timeout_s`, `http.body_timeout_s`) counted in `metrics` and the idle timeout.
    /// - Parameter onServerRunning: called with the bound port once the server listens.
    public func application(
        http: HubConfiguration.HTTP, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let limits = HTTPTimeoutHandler.Limits(
            head: .seconds(Int64(http.headerTimeoutSeconds)), body: .seconds(Int64(http.bodyTimeoutSeconds)))
        let counters = metrics.httpTimeouts
        let logger = logger
        return Application(
            router: router(),
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [HTTPTimeoutHandler(limits: limits, counters: counters, logger: logger)],
                    idleTimeout: .seconds(Int64(http.idleTimeoutSeconds)))),
            configuration: .init(address: .hostname(http.bind, port: http.port), serverName: "earshot-hub"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}
