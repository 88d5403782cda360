import ConfigSchema

/// `architecture:` — which network to build. `Sendable`.
public struct ArchitectureConfig: Sendable, Equatable {
    /// `backbone`: cnn1d-seed | resnet18 | resnet34 | resnet-small | dense-autoencoder | band-baseline |
    /// resnet-arcface (required).
    public var backbone: Backbone
    /// `pool`: GeM (default) or Avg, after a ResNet's last stage.
    public var pool: GlobalPooling
    /// `dropout`: rate before a ResNet's classifier, in [0, 1) (default 0).
    public var dropout: Double
    /// `pretrained`: must be false; the hub trains from scratch and has no pretrained weights offline.
    public var pretrained: Bool
    /// `embedding_units`: resnet-arcface's embedding width, in [2, 512] (default 32).
    public var embeddingUnits: Int
    /// `arcface_margin`: resnet-arcface's additive angular margin, radians, in [0, 1.5] (default 0.5).
    public var arcFaceMargin: Double
    /// `arcface_scale`: resnet-arcface's logit scale, in (0, 128] (default 30).
    public var arcFaceScale: Double

    init(_ s: inout ConfigNode) throws {
        backbone = try s.required(s.choice("backbone", of: Backbone.self), "backbone")
        pool = try s.choice("pool", of: GlobalPooling.self) ?? .gem
        dropout = try s.double("dropout") ?? 0
        pretrained = try s.bool("pretrained") ?? false
        embeddingUnits = try s.int("embedding_units") ?? 32
        arcFaceMargin = try s.double("arcface_margin") ?? 0.5
        arcFaceScale = try s.double("arcface_scale") ?? 30
        try s.check(dropout >= 0 && dropout < 1, "dropout", "must be in [0, 1)")
        try s.check(embeddingUnits >= 2 && embeddingUnits <= 512, "embedding_units", "must be in [2, 512]")
        try s.check(arcFaceMargin >= 0 && arcFaceMargin <= 1.5, "arcface_margin", "must be in [0, 1.5] radians")
        try s.check(arcFaceScale > 0 && arcFaceScale <= 128, "arcface_scale", "must be in (0, 128]")
        try s.check(!pretrained, "pretrained", "pretrained weights are not supported; set false")
        try s.finish()
    }
}
