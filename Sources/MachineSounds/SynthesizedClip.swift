import AudioIO

/// One synthesised clip: the mixture a microphone array hears and the two parts it was mixed from.
///
/// All three buffers share rate, channel count and length, and were scaled by the same
/// headroom gain, so `machine + background == mixture` sample for sample (up to float rounding)
/// and the SNR between the parts is the mixture's SNR. Value type; `Sendable`.
public struct SynthesizedClip: Sendable {
    /// What the array hears: machine plus background, interleaved (frames, channels), linear, peak ≤ 0.89.
    public var mixture: AudioBuffer
    /// The machine alone, spatialised to each microphone, interleaved (frames, channels).
    public var machine: AudioBuffer
    /// The factory background alone, already scaled to the requested SNR, interleaved (frames, channels).
    public var background: AudioBuffer
    /// The condition the machine was rendered in.
    public var condition: MachineCondition

    /// Creates a clip from its parts.
    public init(mixture: AudioBuffer, machine: AudioBuffer, background: AudioBuffer, condition: MachineCondition) {
        self.mixture = mixture
        self.machine = machine
        self.background = background
        self.condition = condition
    }

    /// The machine-to-background SNR over the whole clip (all channels), dB.
    public var snrDecibels: Double {
        SNRMixer.snrDecibels(signal: machine.samples, noise: background.samples)
    }
}
