import ConfigSchema

/// `architecture:` — which network to build. `Sendable`.
public struct ArchitectureConfig: Sendable, Equatable {
    /// `backbone`: cnn1d-seed | resnet18 | resnet34 | resnet-small | dense-autoencoder (required).
    public var backbone: Backbone
    /// `pool`: GeM (default) or Avg, after a ResNet's last stage.
    public var pool: GlobalPooling
    /// `dropout`: rate before a ResNet's classifier, in [0, 1) (default 0).
    public var dropout: Double
    /// `pretrained`: must be false; the hub trains from scratch and has no pretrained weights offline.
    public var pretrained: Bool

    init(_ s: inout ConfigNode) throws {
        backbone = try s.required(s.choice("backbone", of: Backbone.self), "backbone")
        pool = try s.choice("pool", of: GlobalPooling.self) ?? .gem
        dropout = try s.double("dropout") ?? 0
        pretrained = try s.bool("pretrained") ?? false
        try s.check(dropout >= 0 && dropout < 1, "dropout", "must be in [0, 1)")
        try s.check(!pretrained, "pretrained", "pretrained weights are not supported; set false")
        try s.finish()
    }
}
