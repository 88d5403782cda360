import Foundation
import SeededRandom

/// A motor-driven linear slide rail moving a carriage back and forth, heard from ≈ 0.5 m.
///
/// Motion: each half-stroke (`strokePeriodS / 2`) dwells at the end for `dwellFraction`, then
/// travels with a trapezoidal velocity profile (ramps take `rampFraction` of the travel time).
/// Normal sound, all scaled by the carriage speed |v| (0…1 of its peak):
/// - **Motor whine** at `motorToneHz × |v|` (stepper step rate / gear mesh) with a 2nd harmonic.
/// - **Rolling noise** of the carriage on the rail: band-passed noise around `rollingHz`.
/// - **Ball ticks:** recirculating balls strike at `tickRateHz × |v|`, ringing the two rail
///   resonances (`railResonancesHz`, 6 ms decay).
/// - **End knocks** when the carriage starts and stops.
/// - **Natural variation per clip:** stroke period ±0.5 % (σ), per-half-stroke timing ±0.3 %,
///   motor tone ±1 %, levels ±1 dB, random program phase.
///
/// Faults, with severity s in (0, 1]:
/// - `railDamage`: a damaged spot at a random position (two spots when s > 0.6); each pass
///   strikes the rail resonances with peak (0.15 + 1.5 s) × the end knock × |v|, and the
///   rolling noise roughens (+(2 + 10 s) dB) while the carriage crosses the spot's 4 % of travel.
/// - `looseBelt`: velocity ripple at 5–12 Hz of depth 15 s % (the slack belt oscillates,
///   frequency-modulating the motor whine), half-stroke durations scatter by σ 5 s %, and a
///   backlash slap (80–200 Hz thump, (0.2 + 0.8 s) × the end knock) 20–60 ms after each start.
/// - `lackOfLubrication`: intermittent stick-slip squeal at 2–5 kHz (0.3 % FM wander), on in
///   random 0.1–0.5 s stretches with probability 0.3 + 0.6 s while moving, amplitude
///   (0.2 + 2.5 s) × the rolling noise; rolling noise +2 s dB and 30 s % brighter.
///
/// Value type; `Sendable`.
public struct SliderModel: MachineSoundModel {
    /// Per-machine constants, derived deterministically from the id.
    public struct Parameters: Sendable, Equatable {
        /// One full back-and-forth cycle, seconds (1.2–3.0).
        public var strokePeriodS: Double
        /// Fraction of each half-stroke spent stopped at the end (0.1–0.25).
        public var dwellFraction: Double
        /// Fraction of the travel spent accelerating and decelerating, each (0.15–0.3).
        public var rampFraction: Double
        /// Motor whine frequency at peak speed, Hz (400–1200).
        public var motorToneHz: Double
        /// Centre of the rolling noise, Hz (800–2500).
        public var rollingHz: Double
        /// Ball-tick rate at peak speed, per second (80–200).
        public var tickRateHz: Double
        /// Rail resonances, Hz (two, 700–3000).
        public var railResonancesHz: [Double]
        /// Motor whine amplitude at peak speed, linear.
        public var motorLevel: Double
        /// Rolling noise RMS at peak speed, linear.
        public var rollingLevel: Double
        /// Peak amplitude of an end knock, linear.
        public var knockLevel: Double

        /// The parameters of slider `id`.
        public init(id: Int) {
            var g = MachineType.slider.parameterGenerator(id: id)
            strokePeriodS = g.uniform(1.2, 3.0)
            dwellFraction = g.uniform(0.1, 0.25)
            rampFraction = g.uniform(0.15, 0.3)
            motorToneHz = g.uniform(400, 1200)
            rollingHz = g.uniform(800, 2500)
            tickRateHz = g.uniform(80, 200)
            railResonancesHz = [g.uniform(700, 1500), g.uniform(1500, 3000)]
            motorLevel = g.uniform(0.01, 0.02)
            rollingLevel = g.uniform(0.015, 0.03)
            knockLevel = g.uniform(0.05, 0.12)
        }
    }

    /// Always `.slider`.
    public var machineType: MachineType { .slider }
    /// The machine id this model was built for.
    public let machineID: Int
    /// This slider's constants.
    public let parameters: Parameters

    /// The slider with id `id` (any integer; ids 0, 2, 4, 6 are MIMII's).
    public init(id: Int) {
        machineID = id
        parameters = Parameters(id: id)
    }

    /// Renders `frames` mono samples at `fs` Hz in `condition`; the mechanisms are listed on the type.
    public func render(frames: Int, sampleRate fs: Double, condition: MachineCondition, generator: inout SeededGenerator) -> [Float] {
        let p = parameters
        var faultGenerator = generator.fork()
        var g = generator.fork()
        let damage = condition.severity(of: .railDamage)
        let belt = condition.severity(of: .looseBelt)
        let dry = condition.severity(of: .lackOfLubrication)

        let halfPeriod = p.strokePeriodS / 2 * (1 + 0.005 * g.gaussian())
        let motorTone = p.motorToneHz * (1 + 0.01 * g.gaussian())
        let motorLevel = Float(p.motorLevel * amplitude(decibels: g.gaussian()))
        var rollingLevel = Float(p.rollingLevel * amplitude(decibels: g.gaussian()))
        let knockLevel = Float(p.knockLevel * amplitude(decibels: g.gaussian()))
        var rollingHz = p.rollingHz
        if dry > 0 {
            rollingLevel *= Float(amplitude(decibels: 2 * dry))
            rollingHz *= 1 + 0.3 * dry
        }
        let damageSpots = damage > 0 ? (0..<(damage > 0.6 ? 2 : 1)).map { _ in faultGenerator.uniform(0.15, 0.85) } : []
        let damagePeak = Float(0.15 + 1.5 * damage) * knockLevel
        let roughZoneGain = Float(amplitude(decibels: 2 + 10 * damage))
        let beltHz = faultGenerator.uniform(5, 12)
        let slapDelay = faultGenerator.uniform(0.02, 0.06) * fs
        let squealHz = faultGenerator.uniform(2000, 5000)
        let squealLevel = Float(0.2 + 2.5 * dry) * rollingLevel

        var rail = p.railResonancesHz.map { Resonator(frequency: $0, decay: 0.006, sampleRate: fs) }
        var slap = Resonator(frequency: faultGenerator.uniform(80, 200), decay: 0.04, sampleRate: fs)
        var rolling = Biquad.bandPass(rollingHz, q: 0.8, sampleRate: fs)
        var floorFilter = Biquad.lowPass(400, sampleRate: fs)
        var squealGate = OnePole(corner: 20, sampleRate: fs)
        var squealWander = Wander(bandwidth: 3, sampleRate: fs, generator: &faultGenerator)

        // Half-stroke state: start sample, length in samples, direction.
        var halfStart = -g.uniform(0, halfPeriod) * fs
        var halfLength = halfPeriod * fs
        var direction = g.unit() < 0.5 ? 1.0 : -1.0
        var position = direction > 0 ? 0.0 : 1.0
        var moving = false
        var slapAt = -1.0
        var squealOn = false
        var squealSwitch = 0.0
        var nextTick = 0.0
        var motorAngle = 0.0, squealAngle = 0.0
        let travelScale = 1 / ((1 - p.rampFraction) * (1 - p.dwellFraction))

        var output = [Float](repeating: 0, count: frames)
        output.withUnsafeMutableBufferPointer { out in
            for n in 0..<frames {
                let t = Double(n)
                while t >= halfStart + halfLength {
                    halfStart += halfLength
                    let scatter = 0.003 * g.gaussian() + (belt > 0 ? 0.05 * belt * faultGenerator.gaussian() : 0)
                    halfLength = halfPeriod * fs * max(0.5, 1 + scatter)
                    direction = -direction
                    position = direction > 0 ? 0 : 1
                }
                let u = (t - halfStart) / halfLength
                var speed = 0.0
                if u >= p.dwellFraction {
                    let w = (u - p.dwellFraction) / (1 - p.dwellFraction)
                    speed = min(w / p.rampFraction, 1, (1 - w) / p.rampFraction)
                }
                if belt > 0 && speed > 0 { speed *= 1 + 0.15 * belt * sin(twoPi * beltHz * t / fs) }
                let previousPosition = position
                position += direction * speed * travelScale / halfLength
                var strike: Float = 0
                if (speed > 0) != moving {
                    moving = speed > 0
                    strike += knockLevel * Float(g.uniform(0.6, 1.0))
                    if moving && belt > 0 { slapAt = t + slapDelay }
                }
                for spot in damageSpots where (previousPosition - spot) * (position - spot) < 0 {
                    strike += damagePeak * Float(speed * faultGenerator.uniform(0.7, 1.3))
                }
                if speed > 0 && t >= nextTick {
                    strike += knockLevel * 0.08 * Float(g.uniform(0.5, 1.5))
                    nextTick = t + fs / (p.tickRateHz * speed) * g.uniform(0.7, 1.3)
                }
                let speedF = Float(speed)
                var sample = rail[0].process(strike) + 0.7 * rail[1].process(strike)
                if t >= slapAt && slapAt >= 0 {
                    sample += slap.process(knockLevel * Float(0.2 + 0.8 * belt))
                    slapAt = -1
                } else if belt > 0 {
                    sample += slap.process(0)
                }

                motorAngle += twoPi * motorTone * speed / fs
                if motorAngle >= twoPi { motorAngle -= twoPi }
                sample += motorLevel * (0.2 + 0.8 * speedF) * Float(sin(motorAngle) + 0.4 * sin(2 * motorAngle + 0.5)) * (speed > 0 ? 1 : 0)
                var roughness: Float = 1
                for spot in damageSpots where abs(position - spot) < 0.02 { roughness = roughZoneGain }
                sample += rolling.process(g.noise()) * 1.8 * rollingLevel * speedF * roughness
                sample += floorFilter.process(g.noise()) * 0.003

                if dry > 0 {
                    if t >= squealSwitch {
                        squealOn = faultGenerator.unit() < 0.3 + 0.6 * dry
                        squealSwitch = t + faultGenerator.uniform(0.1, 0.5) * fs
                    }
                    let gate = squealGate.process(squealOn ? speed : 0)
                    squealAngle += twoPi * squealHz * (1 + 0.003 * squealWander.next(&faultGenerator)) / fs
                    if squealAngle >= twoPi { squealAngle -= twoPi }
                    sample += squealLevel * Float(gate * sin(squealAngle))
                }
                out[n] = sample
            }
        }
        return output
    }
}
