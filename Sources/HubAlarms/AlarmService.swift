import Foundation
import HubCore
import Logging
import ServiceLifecycle
import Wire

/// Every `alarms.check_interval_s`: ends shelving whose time has passed and raises or clears the
/// fleet's health alarms (``FleetHealthCheck``). Condition and model-install alarms are raised by ingest.
///
/// `Sendable`: immutable references to thread-safe parts; the check's memory lives in `run()`.
public struct AlarmService: Service, Sendable {
    private let store: HubStore
    private let settings: AlarmSettings
    private let ingestHealth: IngestHealth
    private let logger: Logger

    /// Creates the service; `ingestHealth` is the ingest service's (silence is judged only while ingest hears).
    public init(store: HubStore, settings: AlarmSettings, ingestHealth: IngestHealth, logger: Logger) {
        self.store = store
        self.settings = settings
        self.ingestHealth = ingestHealth
        self.logger = logger
    }

    /// Runs until graceful shutdown or cancellation.
    public func run() async {
        var health = FleetHealthCheck()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let nowMs = WallClock.nowMs()
            let hubHears = ingestHealth.hearsAgents
            do {
                let (checked, unshelved, transitions) = try await store.blocking { [health] store in
                    var health = health
                    let unshelved = try store.expireShelving(nowMs: nowMs)
                    let transitions = try health.run(store, settings: settings, nowMs: nowMs, hubHears: hubHears)
                    return (health, unshelved, transitions)
                }
                health = checked
                if unshelved + transitions > 0 {
                    logger.info(
                        "alarms.checked", metadata: ["alarms.unshelved": "\(unshelved)", "alarms.health_transitions": "\(transitions)"])
                }
            } catch {
                logger.error("alarms.check_failed", metadata: ["error": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(settings.checkIntervalSeconds)) }
            } catch {
                return
            }
        }
    }
}
