/// Why a model could not be registered.
///
/// `Sendable`: a value type.
public enum ModelRegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are not a signed Earshot artifact (bad magic, envelope or inner hash, undecodable artifact).
    case notASignedArtifact(String)
    /// The family already has this version or a newer one; versions only increase.
    case versionNotMonotonic(family: String, version: UInt64, latest: UInt64)

    /// A message saying what to do.
    public var description: String {
        switch self {
        case .notASignedArtifact(let why):
            return "not a signed Earshot model artifact (\(why)); sign it with `earshot sign`"
        case .versionNotMonotonic(let family, let version, let latest):
            return "\(family) v\(version) is not newer than the registered v\(latest); give the model a higher version"
        }
    }
}
