import AudioIO
import Foundation
import SeededRandom

/// Renders complete clips for one machine: the machine's sound and a factory background, each
/// propagated to a microphone array, mixed at the requested SNR and scaled for headroom.
///
/// The clip is a pure function of (machine type, id, settings, condition, seed).
/// Value type; `Sendable`: share one across threads and render clips in parallel.
public struct ClipSynthesizer: Sendable {
    /// Peak level no clip exceeds, linear (−1 dBFS): leaves headroom for 16-bit PCM.
    public static let peakCeiling: Float = 0.89

    /// The machine's sound model.
    public let model: any MachineSoundModel
    /// Rate, length, channels and SNR.
    public let settings: SynthesisSettings
    /// The microphones (a circle of radius 6.8 cm for several channels).
    public let array: MicrophoneArray
    /// Where the machine stands relative to the array centre, metres: 0.45–0.8 m away,
    /// 0.1 m below to 0.3 m above the array; fixed per machine id, like a MIMII recording set-up.
    public let machinePosition: SIMD3<Double>

    /// A synthesiser for machine `id` of `machine` type.
    public init(machine: MachineType, id: Int, settings: SynthesisSettings) {
        model = machine.soundModel(id: id)
        self.settings = settings
        array = MicrophoneArray(circular: settings.channels)
        var g = SeededGenerator(seed: SeededGenerator.combine(machine.seedTag, UInt64(bitPattern: Int64(id)), 0x706F_73))
        let azimuth = g.uniform(0, twoPi), distance = g.uniform(0.45, 0.8)
        machinePosition = SIMD3(distance * cos(azimuth), distance * sin(azimuth), g.uniform(-0.1, 0.3))
    }

    /// Renders one clip in `condition`; `seed` fixes everything random in it.
    ///
    /// With the same seed, a normal and a faulty clip share the machine's natural variation and
    /// the background, so they differ only by the fault (and the SNR gain it implies).
    public func render(condition: MachineCondition, seed: UInt64) -> SynthesizedClip {
        let fs = Double(settings.sampleRate)
        let frames = settings.frames
        let channels = settings.channels
        let lead = array.leadFrames(sampleRate: fs)
        var g = SeededGenerator(seed: seed)
        var machineGenerator = g.fork()
        var noiseGenerator = g.fork()
        var diffuseGenerator = g.fork()

        let source = model.render(frames: frames + lead, sampleRate: fs, condition: condition, generator: &machineGenerator)
        var machine = [[Float]](repeating: [Float](repeating: 0, count: frames), count: channels)
        array.add(source, from: machinePosition, sampleRate: fs, into: &machine)

        var background = [[Float]](repeating: [Float](repeating: 0, count: frames), count: channels)
        for noise in FactoryNoise.scene(frames: frames + lead, sampleRate: fs, generator: &noiseGenerator) {
            array.add(noise.samples, from: noise.position, sampleRate: fs, into: &background)
        }
        // A diffuse part at a quarter of the directional power decorrelates the background
        // between microphones more than the nearby machine.
        let diffuseGain = Float((0.25 * SNRMixer.power(channels: background)).squareRoot())
        for c in 0..<channels {
            let diffuse = FactoryNoise.diffuse(frames: frames, sampleRate: fs, generator: &diffuseGenerator)
            for n in 0..<frames { background[c][n] += diffuseGain * diffuse[n] }
        }

        let noiseGain = Float(
            SNRMixer.noiseGain(
                signalPower: SNRMixer.power(channels: machine),
                noisePower: SNRMixer.power(channels: background),
                snrDB: settings.snrDB))
        var peak: Float = 0
        for c in 0..<channels {
            for n in 0..<frames { peak = max(peak, abs(machine[c][n] + noiseGain * background[c][n])) }
        }
        let headroom = peak > Self.peakCeiling ? Self.peakCeiling / peak : 1
        let machineScale = headroom, backgroundScale = headroom * noiseGain

        var machineOut = [Float](repeating: 0, count: frames * channels)
        var backgroundOut = machineOut, mixtureOut = machineOut
        for c in 0..<channels {
            for n in 0..<frames {
                let m = machine[c][n] * machineScale, b = background[c][n] * backgroundScale
                machineOut[n * channels + c] = m
                backgroundOut[n * channels + c] = b
                mixtureOut[n * channels + c] = m + b
            }
        }
        let rate = settings.sampleRate
        return SynthesizedClip(
            mixture: AudioBuffer(sampleRate: rate, channels: channels, samples: mixtureOut),
            machine: AudioBuffer(sampleRate: rate, channels: channels, samples: machineOut),
            background: AudioBuffer(sampleRate: rate, channels: channels, samples: backgroundOut),
            condition: condition)
    }
}
