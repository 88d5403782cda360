import Crypto
import Foundation
import Inference
import SwiftProtobuf
import Wire

/// What `earshot info` reports for a model artifact: the whole manifest, a graph summary and, for a
/// signed artifact, whether it verifies against a given public key.
public struct ModelInfo {
    /// The file read.
    public let path: String
    /// The file's size, bytes.
    public let size: Int
    /// Whether the file is the signed envelope.
    public let signed: Bool
    /// The signing key's id, for a signed artifact.
    public let keyID: String?
    /// "verified", "not checked (no --public-key)", or the `ArtifactError` that refused it.
    public let signature: String
    /// The artifact (the envelope's payload for a signed one).
    public let artifact: Earshot_V1_ModelArtifact

    /// Reads an artifact; `publicKey` pins the key to verify a signed one against.
    public init(path: String, bytes: [UInt8], publicKey: Curve25519.Signing.PublicKey?) throws {
        self.path = path
        size = bytes.count
        let verifier = ArtifactVerifier(trusting: publicKey.map { [$0] } ?? [], sizeLimit: Int.max)
        if ArtifactFile.kind(of: bytes) == .signedArtifact {
            signed = true
            let envelope: Earshot_V1_SignedArtifact
            do { envelope = try verifier.envelope(bytes) } catch { throw WorkbenchError("\(path): \(error)") }
            keyID = envelope.keyID
            if publicKey == nil {
                signature = "not checked (no --public-key)"
            } else {
                do {
                    _ = try verifier.verify(bytes)
                    signature = "verified"
                } catch { signature = "refused: \(error)" }
            }
            do { artifact = try Earshot_V1_ModelArtifact(serializedBytes: envelope.artifact) } catch {
                throw WorkbenchError("\(path): signed bytes are not a model artifact: \(error)")
            }
        } else {
            signed = false
            keyID = nil
            signature = "unsigned"
            do { artifact = try Earshot_V1_ModelArtifact(serializedBytes: bytes) } catch {
                throw WorkbenchError("\(path): corrupt model artifact: \(error)")
            }
        }
    }

    /// One line per layer: name, op, output shape, dtype.
    public var layerLines: [String] {
        artifact.graph.layers.map { layer in
            let output = artifact.graph.tensors[Int(layer.outputs.first ?? 0)]
            return "\(layer.name) → \(output.shape.map(String.init).joined(separator: "×")) \(output.dtype)"
        }
    }

    /// The manifest without the graph constants, as a JSON object.
    public func jsonObject() throws -> [String: Any] {
        var manifest = artifact
        manifest.clearGraph()
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = true
        let text = try manifest.jsonString(options: options)
        var object = (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
        object["path"] = path
        object["size_bytes"] = size
        object["signed"] = signed
        object["signature"] = signature
        if let keyID { object["key_id"] = keyID }
        object["layers"] = layerLines
        object["int8_weight_bytes"] = artifact.graph.layers.reduce(0) { $0 + $1.weightsInt8.count }
        return object
    }

    /// The manifest as text, one line per fact, the graph's layers last.
    public var textLines: [String] {
        let a = artifact
        let f = a.features
        return [
            "\(path): model artifact, \(size) bytes, \(signed ? "signed (key \(keyID ?? "?"))" : "unsigned"), signature \(signature)",
            "  family \(a.family) version \(a.version) (parent \(a.parentVersion)), format \(a.formatVersion), task \(a.task)",
            "  created \(Date(timeIntervalSince1970: Double(a.createdAtMs) / 1000)), labels \(a.labels.joined(separator: ", "))",
            "  features \(f.kind) \(f.sampleRateHz) Hz, n_fft \(f.nFft), hop \(f.hopLength), mels \(f.nMels), mfcc \(f.nMfcc), frames \(f.frames), window \(f.windowSeconds) s, mean over time \(f.meanOverTime), "
                + (f.featureMean.isEmpty ? "not standardised" : "standardised (\(f.featureMean.count) means and stds)"),
            "  threshold \(a.thresholds.anomaly) (\(a.thresholds.method)), dataset \(a.datasetFingerprint)",
        ] + a.metrics.sorted(by: { $0.key < $1.key }).map { "  metric \($0.key) = \($0.value)" }
            + ["  graph: \(a.graph.tensors.count) tensors, \(a.graph.layers.count) layers"] + layerLines.map { "    \($0)" }
    }
}
