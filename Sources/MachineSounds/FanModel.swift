import Foundation
import SeededRandom

/// An industrial ventilation fan driven by an induction motor, heard from ≈ 0.5 m.
///
/// Normal sound:
/// - **Blade-pass tones** at `bladePassHz = rotationHz × bladeCount` and its harmonics
///   (amplitude ratio `bladeHarmonicDecay` per harmonic), plus a faint 1× residual imbalance
///   every real rotor has (5 % of the blade tone).
/// - **Motor hum** at mains harmonics k·`mainsHz`, k = 1…4, dominated by 2× mains (magnetostriction).
/// - **Aerodynamic noise:** white noise tilted by a low-pass at `aeroCornerHz`, a broad vortex
///   hump at `aeroHumpHz`, and housing-panel resonances; modulated 15 % by blade passage.
/// - **Natural variation per clip:** shaft speed ±0.6 % (σ, load and supply), a slow speed
///   drift (σ 0.2 %, 0.3 Hz), level changes of ±1 dB (blades), ±1.5 dB (hum) and ±1 dB
///   (aerodynamic noise), and a 2 Hz gust flutter of the aerodynamic noise.
///
/// Faults, with severity s in (0, 1]:
/// - `imbalance`: a 1× rotation tone of (0.15 + 1.2 s) × the blade tone, a 2× tone at 30 % of
///   that, and amplitude modulation of the whole fan sound at the rotation rate, depth 0.3 s.
/// - `blockage`: the flow separates and stalls: the low-frequency (tilted) part of the
///   aerodynamic noise +5 s dB with its corner lowered by 30 s %, the high part (hump, panels)
///   −2 s dB, blade tones +2.5 s dB (higher pressure rise), and the rotor 2 s % slower (more load).
/// - `voltageChange`: the rotor runs (2 + 8 s) % faster or slower (random sign); blade tones
///   scale with speed², aerodynamic noise with speed^2.5 (sound power ∝ speed⁵), hum by ±40 s %.
/// - `bearingWear`: impacts at `bearingDefectOrder × speed` (BPFO) with 1.5 % timing slip,
///   amplitudes modulated by the load zone once per revolution, each ringing the bearing
///   resonance (`bearingResonanceHz`, 3 ms decay); peak (0.2 + 2.5 s) × the blade tone.
///
/// Value type; `Sendable`.
public struct FanModel: MachineSoundModel {
    /// Per-machine constants, derived deterministically from the id.
    public struct Parameters: Sendable, Equatable {
        /// Nominal shaft speed, Hz (revolutions per second); 13–24 Hz, i.e. 780–1440 rpm.
        public var rotationHz: Double
        /// Number of blades, 3–11.
        public var bladeCount: Int
        /// Mains frequency, Hz: 50 or 60.
        public var mainsHz: Double
        /// Amplitude ratio between successive blade-pass harmonics, 0.45–0.8.
        public var bladeHarmonicDecay: Double
        /// Blade-pass fundamental amplitude, linear (≈ 0.015–0.03).
        public var bladeLevel: Double
        /// Motor hum amplitude at 2× mains, linear.
        public var humLevel: Double
        /// Aerodynamic noise RMS, linear.
        public var aeroLevel: Double
        /// Corner of the aerodynamic noise's low-pass tilt, Hz (300–900).
        public var aeroCornerHz: Double
        /// Centre of the broad vortex-shedding hump, Hz (700–2000).
        public var aeroHumpHz: Double
        /// Housing-panel resonances, Hz (two, 600–3500).
        public var housingResonancesHz: [Double]
        /// Bearing outer-race defect frequency as a multiple of shaft speed (BPFO / f_r), 3.0–5.2.
        public var bearingDefectOrder: Double
        /// The structural resonance that bearing impacts ring, Hz (2500–5000).
        public var bearingResonanceHz: Double

        /// Blade-pass frequency, Hz: `rotationHz × bladeCount`.
        public var bladePassHz: Double { rotationHz * Double(bladeCount) }

        /// The parameters of fan `id`.
        public init(id: Int) {
            var g = MachineType.fan.parameterGenerator(id: id)
            rotationHz = g.uniform(13, 24)
            bladeCount = [3, 4, 5, 6, 7, 8, 9, 11][Int(g.next() % 8)]
            mainsHz = g.unit() < 0.5 ? 50 : 60
            bladeHarmonicDecay = g.uniform(0.45, 0.8)
            bladeLevel = g.uniform(0.015, 0.03)
            humLevel = g.uniform(0.003, 0.008)
            aeroLevel = g.uniform(0.012, 0.024)
            aeroCornerHz = g.uniform(300, 900)
            aeroHumpHz = g.uniform(700, 2000)
            housingResonancesHz = [g.uniform(600, 1500), g.uniform(1500, 3500)]
            bearingDefectOrder = g.uniform(3.0, 5.2)
            bearingResonanceHz = g.uniform(2500, 5000)
        }
    }

    /// Always `.fan`.
    public var machineType: MachineType { .fan }
    /// The machine id this model was built for.
    public let machineID: Int
    /// This fan's constants.
    public let parameters: Parameters

    /// The fan with id `id` (any integer; ids 0, 2, 4, 6 are MIMII's).
    public init(id: Int) {
        machineID = id
        parameters = Parameters(id: id)
    }

    /// Renders `frames` mono samples at `fs` Hz in `condition`; the mechanisms are listed on the type.
    public func render(frames: Int, sampleRate fs: Double, condition: MachineCondition, generator: inout SeededGenerator) -> [Float] {
        let p = parameters
        var faultGenerator = generator.fork()
        var g = generator.fork()

        // Natural variation, drawn identically whatever the condition.
        var speed = p.rotationHz * (1 + 0.006 * g.gaussian())
        var bladeLevel = p.bladeLevel * amplitude(decibels: 1.0 * g.gaussian())
        var humLevel = p.humLevel * amplitude(decibels: 1.5 * g.gaussian())
        var aeroLevel = p.aeroLevel * amplitude(decibels: 1.0 * g.gaussian())
        var aeroCorner = p.aeroCornerHz
        var lowAeroGain: Float = 1, highAeroGain: Float = 1
        let bladePhases = (0..<8).map { _ in g.uniform(0, twoPi) }
        let humPhases = (0..<4).map { _ in g.uniform(0, twoPi) }
        let residualPhase = g.uniform(0, twoPi)
        var shaftAngle = g.uniform(0, twoPi)
        var humAngle = 0.0
        var drift = Wander(bandwidth: 0.3, sampleRate: fs, generator: &g)
        var gust = Wander(bandwidth: 2, sampleRate: fs, generator: &g)

        // Faults.
        let imbalance = condition.severity(of: .imbalance)
        let blockage = condition.severity(of: .blockage)
        let voltage = condition.severity(of: .voltageChange)
        let bearing = condition.severity(of: .bearingWear)
        let imbalanceTone = imbalance > 0 ? bladeLevel * (0.15 + 1.2 * imbalance) : 0
        let imbalanceDepth = 0.3 * imbalance
        if blockage > 0 {
            speed *= 1 - 0.02 * blockage
            lowAeroGain = Float(amplitude(decibels: 5 * blockage))
            highAeroGain = Float(amplitude(decibels: -2 * blockage))
            aeroCorner *= 1 - 0.3 * blockage
            bladeLevel *= amplitude(decibels: 2.5 * blockage)
        }
        if voltage > 0 {
            let sign: Double = faultGenerator.unit() < 0.5 ? -1 : 1
            let ratio = 1 + sign * (0.02 + 0.08 * voltage)
            speed *= ratio
            bladeLevel *= ratio * ratio
            aeroLevel *= pow(ratio, 2.5)
            humLevel *= 1 + sign * 0.4 * voltage
        }
        let bearingPeak = Float(bladeLevel * (0.2 + 2.5 * bearing))

        let bladeCount = HarmonicSeries.count(fundamental: speed * Double(p.bladeCount), sampleRate: fs, limit: 8)
        let blades = HarmonicSeries(
            amplitudes: (0..<bladeCount).map { bladeLevel * pow(p.bladeHarmonicDecay, Double($0)) },
            phases: Array(bladePhases.prefix(bladeCount)))
        let humCount = HarmonicSeries.count(fundamental: p.mainsHz, sampleRate: fs, limit: 4)
        let hum = HarmonicSeries(
            amplitudes: [0.3, 1.0, 0.25, 0.3].prefix(humCount).map { $0 * humLevel },
            phases: Array(humPhases.prefix(humCount)))

        var tilt = Biquad.lowPass(aeroCorner, q: 0.6, sampleRate: fs)
        var hump = Biquad.bandPass(p.aeroHumpHz, q: 1.0, sampleRate: fs)
        var panels = p.housingResonancesHz.map { Biquad.bandPass($0, q: 12, sampleRate: fs) }
        var bearingRing = Resonator(frequency: p.bearingResonanceHz, decay: 0.003, sampleRate: fs)
        // The raw mix below has RMS ≈ 0.9; scaling it by aeroLevel makes aeroLevel its RMS.
        let aeroScale = Float(aeroLevel / 0.9)

        let dt = 1 / fs
        var nextImpact = bearing > 0 ? faultGenerator.uniform(0, fs / (p.bearingDefectOrder * speed)) : Double.infinity
        var output = [Float](repeating: 0, count: frames)
        output.withUnsafeMutableBufferPointer { out in
            for n in 0..<frames {
                let instantSpeed = speed * (1 + 0.002 * drift.next(&g))
                shaftAngle += twoPi * instantSpeed * dt
                if shaftAngle >= twoPi { shaftAngle -= twoPi }
                humAngle += twoPi * p.mainsHz * dt
                if humAngle >= twoPi { humAngle -= twoPi }

                let bladeAngle = Double(p.bladeCount) * shaftAngle
                var tonal = blades.value(angle: bladeAngle)
                tonal += Float(bladeLevel * 0.05) * Float(sin(shaftAngle + residualPhase))

                let white = g.noise()
                var high = hump.process(white) * 0.5 + white * 0.05
                for i in panels.indices { high += panels[i].process(white) * 0.6 }
                var aero = tilt.process(white) * 1.6 * lowAeroGain + high * highAeroGain
                aero *= aeroScale * Float(1 + 0.08 * gust.next(&g)) * Float(1 + 0.15 * sin(bladeAngle + 1.3))

                var sample = tonal + aero
                if imbalance > 0 {
                    sample *= Float(1 + imbalanceDepth * sin(shaftAngle))
                    sample += Float(imbalanceTone * (sin(shaftAngle + 0.4) + 0.3 * sin(2 * shaftAngle + 1.1)))
                }
                var impulse: Float = 0
                if Double(n) >= nextImpact {
                    let loadZone = 1 + 0.5 * cos(shaftAngle)
                    impulse = bearingPeak * Float(loadZone * faultGenerator.uniform(0.7, 1.3))
                    nextImpact += fs / (p.bearingDefectOrder * instantSpeed) * (1 + 0.015 * faultGenerator.gaussian())
                }
                if bearing > 0 { sample += bearingRing.process(impulse) }
                out[n] = sample + hum.value(angle: humAngle)
            }
        }
        return output
    }
}
