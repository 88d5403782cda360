import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The few calls `earshot demo` makes to the hub's HTTP API (docs/hub.md): the fleet summary,
/// rollouts, retraining jobs, clips and labels. JSON comes back as dictionaries, since the toolbox does
/// not link the hub's types.
struct HubAPIClient {
    let base: URL
    let token: String

    /// `GET path` → the decoded JSON object.
    func get(_ path: String) async throws -> [String: Any] {
        try await send(URLRequest(url: url(path)))
    }

    /// `POST path` with a JSON body and the bearer token → the decoded JSON object.
    @discardableResult
    func post(_ path: String, _ body: [String: Any] = [:]) async throws -> [String: Any] {
        var request = URLRequest(url: url(path))
        request.httpMethod = "POST"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        return try await send(request)
    }

    /// Whether `/healthz` answers.
    func isHealthy() async -> Bool {
        var request = URLRequest(url: url("/healthz"))
        request.timeoutInterval = 2
        guard let (_, response) = try? await URLSession.shared.data(for: request) else { return false }
        return (response as? HTTPURLResponse)?.statusCode == 200
    }

    private func url(_ path: String) -> URL { URL(string: path, relativeTo: base)!.absoluteURL }

    private func send(_ request: URLRequest) async throws -> [String: Any] {
        var request = request
        request.timeoutInterval = 10
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw DemoError(
                "hub \(request.httpMethod ?? "GET") \(request.url?.path ?? "") → \(status): \(String(decoding: data, as: UTF8.self))")
        }
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw DemoError("hub \(request.url?.path ?? ""): not a JSON object")
        }
        return object
    }
}
