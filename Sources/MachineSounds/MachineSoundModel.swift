import SeededRandom

/// A physically motivated sound source for one machine (a type and an id), heard from ≈ 0.5 m.
///
/// Implementations derive all of their per-machine parameters deterministically from the id
/// and draw everything that varies per clip from the generator passed to `render`. They draw
/// the natural (normal) variation first and the fault's randomness from a separate fork, so a
/// normal and a faulty clip rendered from the same generator state share speed, load and noise.
public protocol MachineSoundModel: Sendable {
    /// The machine type.
    var machineType: MachineType { get }
    /// The machine id (`id_00` → 0).
    var machineID: Int { get }

    /// Renders `frames` mono samples at `sampleRate` Hz, linear amplitude (normal operation is
    /// around −30 dBFS RMS, ≈ 0.03), in `condition`. Faults of other machine types are ignored.
    func render(frames: Int, sampleRate: Double, condition: MachineCondition, generator: inout SeededGenerator) -> [Float]
}

extension MachineType {
    /// A seed tag for deriving per-machine parameters; stable across releases.
    var seedTag: UInt64 {
        switch self {
        case .fan: return 0x66_616E
        case .pump: return 0x70_756D_70
        case .valve: return 0x76_616C_7665
        case .slider: return 0x73_6C69_6465_72
        }
    }

    /// The sound model for machine `id` of this type.
    public func soundModel(id: Int) -> any MachineSoundModel {
        switch self {
        case .fan: return FanModel(id: id)
        case .pump: return PumpModel(id: id)
        case .valve: return ValveModel(id: id)
        case .slider: return SliderModel(id: id)
        }
    }

    /// A generator for deriving the parameters of machine `id` of this type.
    func parameterGenerator(id: Int) -> SeededGenerator {
        SeededGenerator(seed: SeededGenerator.combine(seedTag, UInt64(bitPattern: Int64(id))))
    }
}
