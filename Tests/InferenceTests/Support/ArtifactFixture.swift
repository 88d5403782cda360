import Crypto
import Foundation
import Wire

/// A tiny, valid int8 artifact built by hand (no Training): float (4) → QUANTIZE → DENSE int8 (3, ReLU)
/// → DEQUANTIZE → SOFTMAX, plus helpers to sign and mutate it into malformed variants.
enum ArtifactFixture {
    static let weights: [[Float]] = [[0.5, -0.25, 0.1, 0.0], [-0.3, 0.2, 0.7, -0.1], [0.05, 0.4, -0.6, 0.3]]  // (out, in)
    static let bias: [Float] = [0.1, -0.05, 0.0]

    static func tensor(_ name: String, _ shape: [UInt32], int8: Bool, scale: Float = 0, zeroPoint: Int32 = 0) -> Earshot_V1_Tensor {
        var t = Earshot_V1_Tensor()
        t.name = name
        t.shape = shape
        t.dtype = int8 ? .int8 : .float32
        if int8 {
            t.quant.scale = [scale]
            t.quant.zeroPoint = [zeroPoint]
        }
        return t
    }

    static func layer(_ op: Earshot_V1_OpType, _ inputs: [UInt32], _ output: UInt32) -> Earshot_V1_Layer {
        var l = Earshot_V1_Layer()
        l.name = "\(op)"
        l.op = op
        l.inputs = inputs
        l.outputs = [output]
        return l
    }

    static func featureSpec() -> Earshot_V1_FeatureSpec {
        var f = Earshot_V1_FeatureSpec()
        f.kind = .mfcc
        f.sampleRateHz = 16_000
        f.nFft = 2048
        f.hopLength = 512
        f.window = .hann
        f.nMels = 128
        f.nMfcc = 4
        f.melNorm = .slaney
        f.center = true
        f.padMode = .constant
        f.power = 2
        f.dbScaling = .powerToDb
        f.amin = 1e-10
        f.ref = 1
        f.windowSeconds = 1
        f.meanOverTime = true
        f.channelMode = .mixdown
        f.dctType = 2
        f.dctOrtho = true
        return f
    }

    static func artifact() -> Earshot_V1_ModelArtifact {
        var graph = Earshot_V1_Graph()
        let inputScale: Float = 2.0 / 255
        graph.tensors = [
            tensor("input", [4], int8: false),
            tensor("q", [4], int8: true, scale: inputScale, zeroPoint: 0),
            tensor("dense", [3], int8: true, scale: 1.5 / 255, zeroPoint: -128),
            tensor("dq", [3], int8: false),
            tensor("softmax", [3], int8: false),
        ]
        graph.inputs = [0]
        graph.outputs = [4]
        var dense = layer(.dense, [1], 2)
        dense.activation = .relu
        dense.window.filters = 3
        let scales = weights.map { row in row.map(abs).max()! / 127 }
        let codes = zip(weights, scales).flatMap { row, s in row.map { UInt8(bitPattern: Int8(($0 / s).rounded())) } }
        dense.weightsInt8 = Data(codes)
        dense.weightsShape = [3, 4]
        dense.weightScales = scales
        dense.weightZeroPoints = [0, 0, 0]
        dense.biasInt32 = zip(bias, scales).map { Int32(($0 / (inputScale * $1)).rounded()) }
        dense.floatWeights.shape = [3, 4]
        dense.floatWeights.values = weights.flatMap { $0 }
        dense.floatBias.shape = [3]
        dense.floatBias.values = bias
        graph.layers = [layer(.quantize, [0], 1), dense, layer(.dequantize, [2], 3), layer(.softmax, [3], 4)]
        var artifact = Earshot_V1_ModelArtifact()
        artifact.formatVersion = 1
        artifact.family = "fixture"
        artifact.version = 7
        artifact.task = .multiclass
        artifact.labels = ["a", "b", "c"]
        artifact.features = featureSpec()
        artifact.graph = graph
        return artifact
    }

    static let key = try! Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 7, count: 32))
    static let otherKey = try! Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 9, count: 32))

    static func keyID(_ key: Curve25519.Signing.PrivateKey) -> String {
        SHA256.hash(data: key.publicKey.rawRepresentation).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// The envelope for `artifact`, before serialization (tests mutate it).
    static func envelope(
        _ artifact: Earshot_V1_ModelArtifact = artifact(), key: Curve25519.Signing.PrivateKey = key
    ) throws -> Earshot_V1_SignedArtifact {
        let bytes: [UInt8] = try artifact.serializedBytes()
        let digest = Data(SHA256.hash(data: bytes))
        var envelope = Earshot_V1_SignedArtifact()
        envelope.magic = 0x4D53_4845
        envelope.envelopeVersion = 1
        envelope.artifact = Data(bytes)
        envelope.sha256 = digest
        envelope.signature = try key.signature(for: digest)
        envelope.keyID = keyID(key)
        envelope.family = artifact.family
        envelope.version = artifact.version
        return envelope
    }

    static func signed(_ artifact: Earshot_V1_ModelArtifact = artifact()) throws -> [UInt8] {
        try envelope(artifact).serializedBytes()
    }
}
