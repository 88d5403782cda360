import Crypto
import Training
import Wire

/// An int8 artifact and how closely it follows its float model.
public struct QuantizationOutcome: Sendable {
    /// The unsigned artifact; its metrics hold the parity figures.
    public var artifact: Earshot_V1_ModelArtifact
    /// int8 against float on the parity windows: verdict agreement, score difference, accuracy and AUC.
    public var parity: QuantizationParity
    /// Calibration windows the activations' ranges came from.
    public var calibrationWindows: Int
    /// Layers of the float graph.
    public var layers: Int

    /// The artifact's bytes: the signed envelope with `key`, the bare artifact without.
    public func bytes(signedWith key: Curve25519.Signing.PrivateKey?) throws -> [UInt8] {
        if let key { return try ModelArtifactBuilder.sign(artifact, with: key) }
        return try artifact.serializedBytes()
    }
}
