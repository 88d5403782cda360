import ServiceLifecycle

/// Runs one service in its own group in the background until `stop()` (graceful).
final class ServiceGroupRunner: Sendable {
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    init(service: some Service) {
        group = ServiceGroup(configuration: .init(services: [.init(service: service)], logger: HubFixture.logger))
        task = Task { [group] in try await group.run() }
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
