import Hummingbird

/// A capability built on the hub that serves its own API routes and a section of the dashboard's
/// models page, registered with the HTTP server when the hub is composed (`Retraining` is one:
/// `RetrainingRoutes`). HubWeb itself knows nothing of it.
public protocol HubWebFeature: Sendable {
    /// Adds the feature's routes under `/api/v1`. The group already enforces the API's access rule
    /// (``APIAccessMiddleware``: reads per `http.require_token_for_reads`, every write needs the
    /// bearer token) and turns a thrown `HTTPResponseError` into its response.
    func addRoutes(to api: RouterGroup<BasicRequestContext>)

    /// The feature's section of the models page (`/rollouts`), built as ``HTML`` (values escaped by
    /// default); forms call the API through `dashboard.js` (`data-api`).
    func modelsPageSection() throws -> HTML
}
