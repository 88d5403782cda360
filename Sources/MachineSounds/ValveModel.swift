import Foundation
import SeededRandom

/// A solenoid valve cycling open and closed on a fixed program, heard from ≈ 0.5 m.
///
/// Normal sound:
/// - **Clicks:** each open and close event strikes the valve body; the impulse rings three body
///   resonances (`clickResonancesHz`, 1/e decays `clickDecaysS`) and a low thud (`thudHz`,
///   25 ms). Closing clicks are 1.3× louder (the spring slams the plunger onto the seat).
///   Events repeat every `cyclePeriodS`; the valve stays open `openFraction` of each cycle.
/// - **Flow hiss** while open: band-passed noise around `flowHissHz`, gated with ≈ 5 ms ramps.
/// - **Solenoid buzz** while energised (AC coils only): 2× mains with harmonics.
/// - **Natural variation per clip:** cycle period ±0.4 % (σ), event timing jitter 1 % of the
///   period (σ), click level ±1 dB per event, flow level ±1 dB per clip, random program phase.
///
/// Faults, with severity s in (0, 1]:
/// - `irregularTiming`: event times scatter by σ = (3 + 25 s) % of the period, and each cycle
///   is skipped with probability 0.3 s.
/// - `chatter`: after an event, with probability 0.3 + 0.7 s, the plunger bounces 1–(1 + 5 s)
///   times, 8–25 ms apart, each bounce 0.6× the previous, starting at (0.3 + 0.7 s) × the
///   click; with probability 0.3 s per cycle the valve sticks open for an extra 20–50 % of the period.
/// - `contamination`: debris lowers the body resonances by (3 + 12 s) %, damps them
///   (decays ÷ (1 + 2 s)), adds a gritty scrape (2–6 kHz noise, 20 ms decay, (0.1 + 0.6 s) ×
///   the click) at each stroke, and makes the flow hiss flutter (depth 0.3 s).
///
/// Value type; `Sendable`.
public struct ValveModel: MachineSoundModel {
    /// Per-machine constants, derived deterministically from the id.
    public struct Parameters: Sendable, Equatable {
        /// Duration of one open-close cycle, seconds (0.6–1.6).
        public var cyclePeriodS: Double
        /// Fraction of the cycle the valve is open (0.3–0.6).
        public var openFraction: Double
        /// Valve-body resonances a click rings, Hz (three, 1–6 kHz, ascending).
        public var clickResonancesHz: [Double]
        /// 1/e decay times of those resonances, seconds (4–15 ms).
        public var clickDecaysS: [Double]
        /// The low thud of the plunger's mass, Hz (150–500).
        public var thudHz: Double
        /// Centre of the flow hiss while open, Hz (1500–4000).
        public var flowHissHz: Double
        /// Whether the coil is AC (buzzes at 2× mains while energised) or DC (silent).
        public var acCoil: Bool
        /// Mains frequency, Hz: 50 or 60.
        public var mainsHz: Double
        /// Peak amplitude of an opening click, linear (0.15–0.3).
        public var clickLevel: Double
        /// Flow hiss RMS while open, linear.
        public var flowLevel: Double

        /// The parameters of valve `id`.
        public init(id: Int) {
            var g = MachineType.valve.parameterGenerator(id: id)
            cyclePeriodS = g.uniform(0.6, 1.6)
            openFraction = g.uniform(0.3, 0.6)
            clickResonancesHz = [g.uniform(1000, 2200), g.uniform(2200, 3800), g.uniform(3800, 6000)]
            clickDecaysS = (0..<3).map { _ in g.uniform(0.004, 0.015) }
            thudHz = g.uniform(150, 500)
            flowHissHz = g.uniform(1500, 4000)
            acCoil = g.unit() < 0.5
            mainsHz = g.unit() < 0.5 ? 50 : 60
            clickLevel = g.uniform(0.15, 0.3)
            flowLevel = g.uniform(0.006, 0.012)
        }
    }

    /// One excitation of the valve body.
    private struct Event {
        /// Sample index.
        var sample: Int
        /// Peak amplitude of the click, linear.
        var amplitude: Float
        /// `true` opens, `false` closes, `nil` is a bounce (no change of state).
        var opens: Bool?
    }

    /// Always `.valve`.
    public var machineType: MachineType { .valve }
    /// The machine id this model was built for.
    public let machineID: Int
    /// This valve's constants.
    public let parameters: Parameters

    /// The valve with id `id` (any integer; ids 0, 2, 4, 6 are MIMII's).
    public init(id: Int) {
        machineID = id
        parameters = Parameters(id: id)
    }

    /// Renders `frames` mono samples at `fs` Hz in `condition`; the mechanisms are listed on the type.
    public func render(frames: Int, sampleRate fs: Double, condition: MachineCondition, generator: inout SeededGenerator) -> [Float] {
        let p = parameters
        var faultGenerator = generator.fork()
        var g = generator.fork()
        let irregular = condition.severity(of: .irregularTiming)
        let chatter = condition.severity(of: .chatter)
        let contamination = condition.severity(of: .contamination)

        let events = schedule(
            frames: frames, sampleRate: fs, g: &g, faultGenerator: &faultGenerator,
            irregular: irregular, chatter: chatter)
        let flowLevel = Float(p.flowLevel * amplitude(decibels: 1.0 * g.gaussian()))
        let detune = 1 - (contamination > 0 ? 0.03 + 0.12 * contamination : 0)
        let damping = 1 + 2 * contamination
        var body = (0..<3).map {
            Resonator(frequency: p.clickResonancesHz[$0] * detune, decay: p.clickDecaysS[$0] / damping, sampleRate: fs)
        }
        let bodyWeights: [Float] = [0.5, 0.35, 0.25]
        var thud = Resonator(frequency: p.thudHz, decay: 0.025, sampleRate: fs)
        var hissFilter = Biquad.bandPass(p.flowHissHz, q: 1.2, sampleRate: fs)
        var gate = OnePole(corner: 30, sampleRate: fs)
        var floorFilter = Biquad.lowPass(600, sampleRate: fs)
        let buzzCount = p.acCoil ? HarmonicSeries.count(fundamental: 2 * p.mainsHz, sampleRate: fs, limit: 3) : 0
        let buzz = HarmonicSeries(
            amplitudes: Array([0.004, 0.0016, 0.0008].prefix(buzzCount)),
            phases: Array([0.3, 1.2, 2.0].prefix(buzzCount)))
        var gritFilter = Biquad.bandPass(contamination > 0 ? faultGenerator.uniform(2000, 6000) : 4000, q: 1.5, sampleRate: fs)
        let gritLevel = Float(0.1 + 0.6 * contamination)
        let gritDecay = Float(exp(-1 / (0.02 * fs)))
        var flutter = Wander(bandwidth: 8, sampleRate: fs, generator: &faultGenerator)
        let flutterDepth = 0.3 * contamination

        var open = false
        var gritEnvelope: Float = 0
        var eventIndex = 0
        var buzzAngle = 0.0
        var output = [Float](repeating: 0, count: frames)
        output.withUnsafeMutableBufferPointer { out in
            for n in 0..<frames {
                var strike: Float = 0
                while eventIndex < events.count && events[eventIndex].sample <= n {
                    let event = events[eventIndex]
                    strike += event.amplitude
                    if let opens = event.opens { open = opens }
                    if contamination > 0 { gritEnvelope = max(gritEnvelope, event.amplitude * gritLevel) }
                    eventIndex += 1
                }
                var sample: Float = 0
                for i in 0..<3 { sample += bodyWeights[i] * body[i].process(strike) }
                sample += 0.6 * thud.process(strike)

                let openness = Float(gate.process(open ? 1 : 0))
                var hiss = hissFilter.process(g.noise()) * 2.2 * flowLevel * openness
                if flutterDepth > 0 { hiss *= Float(1 + flutterDepth * flutter.next(&faultGenerator)) }
                sample += hiss + floorFilter.process(g.noise()) * 0.0025

                if p.acCoil {
                    buzzAngle += twoPi * 2 * p.mainsHz / fs
                    if buzzAngle >= twoPi { buzzAngle -= twoPi }
                    sample += buzz.value(angle: buzzAngle) * openness
                }
                if gritEnvelope > 1e-5 {
                    sample += gritFilter.process(faultGenerator.noise()) * gritEnvelope
                    gritEnvelope *= gritDecay
                }
                out[n] = sample
            }
        }
        return output
    }

    /// The clip's events in sample order: program clicks with natural jitter, then the faults'
    /// timing scatter, skipped cycles, sticking and bounces.
    private func schedule(
        frames: Int, sampleRate fs: Double, g: inout SeededGenerator, faultGenerator: inout SeededGenerator,
        irregular: Double, chatter: Double
    ) -> [Event] {
        let p = parameters
        let period = p.cyclePeriodS * (1 + 0.004 * g.gaussian())
        let duration = Double(frames) / fs
        var cycleStart = -g.uniform(0, period)
        var events: [Event] = []
        while cycleStart < duration + period {
            let openTime = cycleStart + 0.01 * period * g.gaussian()
            var closeTime = cycleStart + p.openFraction * period + 0.01 * period * g.gaussian()
            var openAmplitude = p.clickLevel * amplitude(decibels: g.gaussian())
            var closeAmplitude = 1.3 * p.clickLevel * amplitude(decibels: g.gaussian())
            var times = [openTime, closeTime]
            if irregular > 0 {
                times = times.map { $0 + (0.03 + 0.25 * irregular) * period * faultGenerator.gaussian() }
                if faultGenerator.unit() < 0.3 * irregular { openAmplitude = 0; closeAmplitude = 0 }
            }
            if chatter > 0, faultGenerator.unit() < 0.3 * chatter {
                closeTime += faultGenerator.uniform(0.2, 0.5) * period
                times[1] = max(times[1], closeTime)
            }
            if openAmplitude > 0 {
                for (time, amp, opens) in [(times[0], openAmplitude, true), (times[1], closeAmplitude, false)] {
                    events.append(Event(sample: Int((time * fs).rounded()), amplitude: Float(amp), opens: opens))
                    guard chatter > 0, faultGenerator.unit() < 0.3 + 0.7 * chatter else { continue }
                    let bounces = 1 + Int(faultGenerator.uniform(0, 1 + 5 * chatter))
                    var bounceTime = time, bounceAmplitude = amp * (0.3 + 0.7 * chatter)
                    for _ in 0..<bounces {
                        bounceTime += faultGenerator.uniform(0.008, 0.025)
                        events.append(Event(sample: Int((bounceTime * fs).rounded()), amplitude: Float(bounceAmplitude), opens: nil))
                        bounceAmplitude *= 0.6
                    }
                }
            }
            cycleStart += period
        }
        // Events before the clip only set the valve's state at its start; their clicks are not heard.
        return events.filter { $0.sample < frames }
            .map { $0.sample >= 0 ? $0 : Event(sample: 0, amplitude: 0, opens: $0.opens) }
            .sorted { $0.sample < $1.sample }
    }
}
