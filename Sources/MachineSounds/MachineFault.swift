/// A fault mechanism that makes a machine sound anomalous. Each belongs to one `MachineType`.
///
/// The physical story of each, and how severity scales it, is documented on the model that
/// renders it (`FanModel`, `PumpModel`, `ValveModel`, `SliderModel`).
public enum MachineFault: String, Sendable, Codable, CaseIterable {
    // Fan
    /// Fan rotor mass imbalance: a 1× rotation tone and amplitude modulation at the rotation rate.
    case imbalance
    /// Fan inlet/outlet blockage: steeper spectral tilt, louder aerodynamic noise, slight slowdown.
    case blockage
    /// Fan supply voltage change: the rotor runs faster or slower, shifting every speed-locked tone.
    case voltageChange
    /// Fan bearing wear: impacts at the bearing outer-race defect frequency ringing a resonance.
    case bearingWear
    // Pump
    /// Pump cavitation: bursts of broadband crackle from collapsing vapour bubbles.
    case cavitation
    /// Pump seal or pipe leakage: a steady high-frequency hiss.
    case leakage
    /// Pump clogging: reduced flow noise, stronger vane-pass pulsation and low-frequency surging.
    case clogging
    // Valve
    /// Valve timing irregularity: open/close events early, late or missing.
    case irregularTiming
    /// Valve sticking and chatter: the armature bounces (rapid repeated clicks) or hangs open.
    case chatter
    /// Valve contamination: debris damps and detunes the click resonances and adds grit noise.
    case contamination
    // Slider
    /// Slide-rail damage: an impact each time the carriage passes the damaged spot.
    case railDamage
    /// Slide-rail loose belt: velocity ripple, stroke timing jitter and backlash slaps at reversals.
    case looseBelt
    /// Slide-rail lack of lubrication: intermittent stick-slip squeal and rougher rolling noise.
    case lackOfLubrication

    /// The machine type this fault occurs in.
    public var machineType: MachineType {
        switch self {
        case .imbalance, .blockage, .voltageChange, .bearingWear: return .fan
        case .cavitation, .leakage, .clogging: return .pump
        case .irregularTiming, .chatter, .contamination: return .valve
        case .railDamage, .looseBelt, .lackOfLubrication: return .slider
        }
    }

    /// The faults of one machine type, in declaration order.
    public static func faults(of type: MachineType) -> [MachineFault] {
        allCases.filter { $0.machineType == type }
    }
}
