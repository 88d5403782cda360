/// A learning period an operator started for one asset (`POST /api/v1/assets/{site}/{asset}/learning`):
/// until `endsMs` its agent sends normal windows as clips with `normalSampleProbability`, so the hub gets
/// the healthy sound a band-baseline family relearns the asset from. Delivered in the agent's retained
/// desired state (`DesiredState.learning`). JSON keys are camelCase. `Sendable`: a value type.
public struct LearningPeriod: Sendable, Equatable, Codable {
    /// The asset's site.
    public var site: String
    /// The asset.
    public var assetID: String
    /// The agent that owns the asset now and carries the period out (an owner assigned later carries it
    /// from its next desired state on).
    public var agentID: String
    /// The chance that a normal window is sent as a clip meanwhile, 0…1.
    public var normalSampleProbability: Double
    /// Start, Unix ms (hub clock).
    public var startsMs: Int64
    /// End, Unix ms (hub clock).
    public var endsMs: Int64
    /// The agent's desired-state generation that carries it.
    public var generation: UInt64
}

/// Why a learning period could not be started.
public enum LearningPeriodError: Error, Equatable {
    /// No such asset.
    case unknownAsset
    /// The asset has no owning agent to carry it out.
    case noAgent
}
