import Foundation
import SeededRandom

/// A centrifugal water pump driven by an induction motor, heard from ≈ 0.5 m.
///
/// Normal sound:
/// - **Vane-pass tones** at `vanePassHz = shaftHz × vaneCount` and harmonics (ratio
///   `vaneHarmonicDecay`), plus a 1× shaft tone at 15 % of the vane-pass tone.
/// - **Motor hum** at 2× `mainsHz` (with weaker 1×, 3×, 4×).
/// - **Flow noise:** turbulent broadband noise low-passed at `flowCornerHz`, colouring two
///   pipe resonances (`pipeResonancesHz`, Q 8), with a slow (0.5 Hz) flow fluctuation of 10 %.
/// - **Natural variation per clip:** shaft speed ±0.4 % (σ), flow level ±1 dB, tone level ±1 dB.
///
/// Faults, with severity s in (0, 1]:
/// - `cavitation`: vapour bubbles collapse in bursts (50–300 ms long, on 40–90 % of the time
///   depending on s) at (80 + 600 s) crackles per second, clustered at the vane passage;
///   each crackle is a sub-millisecond broadband click ringing a low-Q resonance at
///   `cavitationBandHz`, amplitude (0.1 + 2.9 s) × the flow noise RMS, exponentially distributed.
/// - `leakage`: a steady hiss from a jet through the leak: white noise high-passed at 2.5 kHz
///   plus a band around `leakHissHz`, RMS (0.03 + 0.6 s) × the flow noise, with a 6 Hz flutter.
/// - `clogging`: flow noise −(1 + 4 s) dB with its corner lowered 30 s %, vane-pass tones
///   +(1 + 5 s) dB, surging amplitude modulation at 0.5–1.5 Hz of depth 0.35 s, and the motor
///   1.5 s % faster (less hydraulic load).
///
/// Value type; `Sendable`.
public struct PumpModel: MachineSoundModel {
    /// Per-machine constants, derived deterministically from the id.
    public struct Parameters: Sendable, Equatable {
        /// Nominal shaft speed, Hz: synchronous speed 2·mains/poles (2 or 4 poles) less 1.5–6 % slip, 23.5–59.1 Hz.
        public var shaftHz: Double
        /// Impeller vane count, 5–8.
        public var vaneCount: Int
        /// Mains frequency, Hz: 50 or 60.
        public var mainsHz: Double
        /// Amplitude ratio between successive vane-pass harmonics, 0.4–0.7.
        public var vaneHarmonicDecay: Double
        /// Vane-pass fundamental amplitude, linear.
        public var vaneLevel: Double
        /// Motor hum amplitude at 2× mains, linear.
        public var humLevel: Double
        /// Flow noise RMS, linear.
        public var flowLevel: Double
        /// Low-pass corner of the flow noise, Hz (400–1200).
        public var flowCornerHz: Double
        /// Pipe resonances the flow excites, Hz (two, 150–900).
        public var pipeResonancesHz: [Double]
        /// Centre of cavitation crackle energy, Hz (3000–6000).
        public var cavitationBandHz: Double
        /// Centre of a leak's hiss, Hz (3500–7000).
        public var leakHissHz: Double

        /// Vane-pass frequency, Hz: `shaftHz × vaneCount`.
        public var vanePassHz: Double { shaftHz * Double(vaneCount) }

        /// The parameters of pump `id`.
        public init(id: Int) {
            var g = MachineType.pump.parameterGenerator(id: id)
            mainsHz = g.unit() < 0.5 ? 50 : 60
            let poles = g.unit() < 0.5 ? 2.0 : 4.0
            shaftHz = 2 * mainsHz / poles * g.uniform(0.94, 0.985)
            vaneCount = 5 + Int(g.next() % 4)
            vaneHarmonicDecay = g.uniform(0.4, 0.7)
            vaneLevel = g.uniform(0.012, 0.025)
            humLevel = g.uniform(0.004, 0.009)
            flowLevel = g.uniform(0.015, 0.028)
            flowCornerHz = g.uniform(400, 1200)
            pipeResonancesHz = [g.uniform(150, 400), g.uniform(400, 900)]
            cavitationBandHz = g.uniform(3000, 6000)
            leakHissHz = g.uniform(3500, 7000)
        }
    }

    /// Always `.pump`.
    public var machineType: MachineType { .pump }
    /// The machine id this model was built for.
    public let machineID: Int
    /// This pump's constants.
    public let parameters: Parameters

    /// The pump with id `id` (any integer; ids 0, 2, 4, 6 are MIMII's).
    public init(id: Int) {
        machineID = id
        parameters = Parameters(id: id)
    }

    /// Renders `frames` mono samples at `fs` Hz in `condition`; the mechanisms are listed on the type.
    public func render(frames: Int, sampleRate fs: Double, condition: MachineCondition, generator: inout SeededGenerator) -> [Float] {
        let p = parameters
        var faultGenerator = generator.fork()
        var g = generator.fork()

        var speed = p.shaftHz * (1 + 0.004 * g.gaussian())
        var vaneLevel = p.vaneLevel * amplitude(decibels: 1.0 * g.gaussian())
        var flowLevel = p.flowLevel * amplitude(decibels: 1.0 * g.gaussian())
        var flowCorner = p.flowCornerHz
        let vanePhases = (0..<6).map { _ in g.uniform(0, twoPi) }
        let humPhases = (0..<4).map { _ in g.uniform(0, twoPi) }
        var shaftAngle = g.uniform(0, twoPi)
        var humAngle = 0.0
        var flowWander = Wander(bandwidth: 0.5, sampleRate: fs, generator: &g)

        let cavitation = condition.severity(of: .cavitation)
        let leakage = condition.severity(of: .leakage)
        let clogging = condition.severity(of: .clogging)
        var surgeHz = 0.0, surgeDepth = 0.0
        if clogging > 0 {
            flowLevel *= amplitude(decibels: -(1 + 4 * clogging))
            flowCorner *= 1 - 0.3 * clogging
            vaneLevel *= amplitude(decibels: 1 + 5 * clogging)
            speed *= 1 + 0.015 * clogging
            surgeHz = faultGenerator.uniform(0.5, 1.5)
            surgeDepth = 0.35 * clogging
        }
        let crackleRate = 80 + 600 * cavitation
        let crackleLevel = Float(p.flowLevel * (0.1 + 2.9 * cavitation))
        let burstDuty = 0.4 + 0.5 * cavitation
        let leakLevel = Float(p.flowLevel * (0.03 + 0.6 * leakage))

        let vaneCount = HarmonicSeries.count(fundamental: speed * Double(p.vaneCount), sampleRate: fs, limit: 6)
        let vanes = HarmonicSeries(
            amplitudes: (0..<vaneCount).map { vaneLevel * pow(p.vaneHarmonicDecay, Double($0)) },
            phases: Array(vanePhases.prefix(vaneCount)))
        let humCount = HarmonicSeries.count(fundamental: p.mainsHz, sampleRate: fs, limit: 4)
        let hum = HarmonicSeries(
            amplitudes: [0.3, 1.0, 0.2, 0.25].prefix(humCount).map { $0 * p.humLevel },
            phases: Array(humPhases.prefix(humCount)))

        var flowFilter = Biquad.lowPass(flowCorner, q: 0.6, sampleRate: fs)
        var pipes = p.pipeResonancesHz.map { Biquad.bandPass($0, q: 8, sampleRate: fs) }
        var crackleRing = Biquad.bandPass(p.cavitationBandHz, q: 1.5, sampleRate: fs)
        var crackleHighPass = Biquad.highPass(1500, sampleRate: fs)
        var leakHighPass = Biquad.highPass(2500, sampleRate: fs)
        var leakBand = Biquad.bandPass(p.leakHissHz, q: 2, sampleRate: fs)
        let flowScale = Float(flowLevel / 0.55)

        let dt = 1 / fs
        var burstOn = true
        var burstEnd = cavitation > 0 ? faultGenerator.uniform(0.05, 0.3) * fs : Double.infinity
        var nextCrackle = cavitation > 0 ? faultGenerator.exponential(rate: crackleRate) * fs : Double.infinity
        var crackleTail = 0  // samples left in the current click
        var crackleAmplitude: Float = 0
        var output = [Float](repeating: 0, count: frames)
        output.withUnsafeMutableBufferPointer { out in
            for n in 0..<frames {
                let t = Double(n) * dt
                shaftAngle += twoPi * speed * dt
                if shaftAngle >= twoPi { shaftAngle -= twoPi }
                humAngle += twoPi * p.mainsHz * dt
                if humAngle >= twoPi { humAngle -= twoPi }
                let vaneAngle = Double(p.vaneCount) * shaftAngle

                var tonal = vanes.value(angle: vaneAngle) + Float(vaneLevel * 0.15 * sin(shaftAngle + 0.7))
                let white = g.noise()
                var flow = flowFilter.process(white)
                for i in pipes.indices { flow += pipes[i].process(white) * 0.8 }
                var flowGain = 1 + 0.1 * flowWander.next(&g)
                if surgeDepth > 0 { flowGain *= 1 + surgeDepth * sin(twoPi * surgeHz * t) }
                flow *= flowScale * Float(flowGain)
                if surgeDepth > 0 { tonal *= Float(1 + surgeDepth * sin(twoPi * surgeHz * t)) }
                var sample = tonal + flow + hum.value(angle: humAngle)

                if cavitation > 0 {
                    if Double(n) >= burstEnd {
                        burstOn = faultGenerator.unit() < burstDuty
                        burstEnd += faultGenerator.uniform(0.05, 0.3) * fs
                    }
                    if Double(n) >= nextCrackle {
                        // Collapses cluster where the vane passes (pressure minimum behind the vane).
                        let vaneBias = 0.5 * (1 + cos(vaneAngle))
                        if burstOn && faultGenerator.unit() < 0.3 + 0.7 * vaneBias {
                            crackleTail = 1 + Int(faultGenerator.uniform(0, 0.0006) * fs)
                            crackleAmplitude = crackleLevel * Float(faultGenerator.exponential(rate: 1))
                        }
                        nextCrackle += faultGenerator.exponential(rate: crackleRate) * fs
                    }
                    var click: Float = 0
                    if crackleTail > 0 {
                        click = crackleAmplitude * faultGenerator.noise()
                        crackleTail -= 1
                    }
                    sample += crackleRing.process(crackleHighPass.process(click)) * 2
                }
                if leakage > 0 {
                    let hiss = faultGenerator.noise()
                    let flutter = Float(1 + 0.15 * sin(twoPi * 6 * t))
                    sample += leakLevel * flutter * (leakHighPass.process(hiss) * 0.5 + leakBand.process(hiss))
                }
                out[n] = sample
            }
        }
        return output
    }
}
