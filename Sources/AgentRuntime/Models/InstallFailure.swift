import Inference
import Scoring
import Wire

/// Why a model was not installed, as reported in `ModelInstallFailed`.
///
/// `Sendable`: a value type.
public struct InstallFailure: Error, Sendable, Equatable {
    /// The wire reason.
    public var reason: Earshot_V1_InstallFailureReason
    /// A one-line explanation.
    public var detail: String

    /// A failure.
    public init(_ reason: Earshot_V1_InstallFailureReason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    /// The wire reason for an artifact the verifier or the engine refused.
    public init(_ error: ArtifactError) {
        let reason: Earshot_V1_InstallFailureReason =
            switch error {
            case .tooLarge: .tooLarge
            case .truncated: .truncated
            case .badMagic, .malformed: .malformed
            case .unsupportedVersion: .unsupportedFormatVersion
            case .hashMismatch: .hashMismatch
            case .unknownKey: .unknownKey
            case .badSignature: .badSignature
            case .unsupportedFeatureSpec: .unsupportedFeatureSpec
            case .invalidScale, .invalidZeroPoint, .inconsistentShape, .unsupportedOperator: .invalidGraph
            }
        self.init(reason, "\(error)")
    }

    /// The wire reason for a model whose features cannot feed its graph.
    public init(_ error: ScoringError) {
        self.init(.invalidGraph, "\(error)")
    }
}
