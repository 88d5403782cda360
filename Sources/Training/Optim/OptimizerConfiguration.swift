/// Which optimizer to use and its hyper-parameters (Keras defaults). `Sendable`.
public enum OptimizerConfiguration: Sendable, Equatable {
    /// SGD with (heavy-ball) momentum, Keras form: `v = μ·v − lr·g; w += v`.
    case sgd(momentum: Float)
    /// Adam (Kingma & Ba) with Keras' bias-corrected step and epsilon outside the square root.
    case adam(beta1: Float, beta2: Float, epsilon: Float)
    /// AdamW: Adam plus decoupled weight decay `w −= lr · weightDecay · w` applied before the Adam step
    /// (Loshchilov & Hutter; Keras and PyTorch `AdamW`). Decay applies to every parameter.
    case adamW(beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float)

    /// Adam with Keras defaults (0.9, 0.999, 1e-7).
    public static let adamDefault = OptimizerConfiguration.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-7)

    /// AdamW with Keras betas/epsilon and the given decay.
    public static func adamW(weightDecay: Float) -> OptimizerConfiguration {
        .adamW(beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: weightDecay)
    }
}
