import MachineSounds

/// The demo's plant: two sites with three production lines, two agents per line, and the machines
/// they listen to — 12 fans plus a pump, a valve and a slide rail on every line.
///
/// Every machine type has its own model family (`fan-ae`, `pump-ae`, `valve-ae`, `slider-ae`), and
/// the machines of a type are one make (synthetic machine id 0), as in a plant that standardised on
/// a model. Most machines play synthetic audio; when the real MIMII recordings are present, four
/// play them instead and are judged by ``realFamily``, each against its own learned baseline. Four machines develop a plainly audible fault partway through the demo.
struct DemoFleet {
    /// One monitored machine.
    struct Asset {
        /// Unique within its site, e.g. `l1-fan-02`.
        let id: String
        /// `fan`, `pump`, `valve` or `slider`.
        let machineType: String
        /// Seeds its synthetic recording (every machine sounds a little different).
        let seed: UInt64
        /// The MIMII machine id (`00`…`06`) whose real recordings it plays instead, if any.
        let realID: String?
        /// The fault it develops partway through, if any (real machines switch to their MIMII abnormal clip).
        let fault: MachineFault?

        /// Whether it develops a fault partway through.
        var faulty: Bool { fault != nil }

        /// The model family that judges it: its type's, or `mimii-baseline` for machines playing real recordings.
        var family: String { realID == nil ? DemoFleet.family(of: machineType) : DemoFleet.realFamily }
    }

    /// One `earshot-agent` process.
    struct Agent {
        let id: String
        let site: String
        let line: String
        let assets: [Asset]
    }

    /// The machine types, in the order models are trained.
    static let machineTypes = ["fan", "pump", "valve", "slider"]

    /// The family of the machines that play real MIMII recordings: four different real machines, so each
    /// is judged against its own normal sound — a band-baseline model (configs/anomaly.yaml) holding one
    /// baseline and threshold per asset, learned from that asset's normal recording.
    static let realFamily = "mimii-baseline"

    /// The model family of a machine type.
    static func family(of machineType: String) -> String { "\(machineType)-ae" }

    let agents: [Agent]

    /// Every asset with its agent.
    var assets: [(agent: Agent, asset: Asset)] { agents.flatMap { agent in agent.assets.map { (agent, $0) } } }

    /// The plant; `withRealRecordings` swaps four machines to the real MIMII clips.
    init(withRealRecordings: Bool) {
        let lines = [("north", "line-1"), ("north", "line-2"), ("south", "line-1")]
        // Real recordings: (site, line, asset) → MIMII id.
        let real: [String: String] =
            withRealRecordings
            ? ["north/line-2/l2-fan-04": "00", "north/line-1/l1-valve": "02", "south/line-1/l1-slider": "04", "south/line-1/l1-pump": "06"]
            : [:]
        let faults: [String: MachineFault] = [
            "north/line-1/l1-fan-02": .voltageChange, "south/line-1/l1-fan-03": .imbalance, "north/line-2/l2-pump": .leakage,
            "north/line-2/l2-fan-04": .bearingWear,
        ]
        var agents: [Agent] = []
        for (lineIndex, (site, line)) in lines.enumerated() {
            let short = "l\(line.split(separator: "-").last ?? "1")"
            func asset(_ machineType: String, _ number: Int?) -> Asset {
                let id = number.map { "\(short)-\(machineType)-0\($0)" } ?? "\(short)-\(machineType)"
                let key = "\(site)/\(line)/\(id)"
                return Asset(
                    id: id, machineType: machineType, seed: UInt64(lineIndex * 10 + (number ?? 0)), realID: real[key], fault: faults[key])
            }
            let prefix = "\(site)-\(short)"
            agents.append(Agent(id: "\(prefix)-a", site: site, line: line, assets: [asset("fan", 1), asset("fan", 2), asset("pump", nil)]))
            agents.append(
                Agent(
                    id: "\(prefix)-b", site: site, line: line,
                    assets: [asset("fan", 3), asset("fan", 4), asset("valve", nil), asset("slider", nil)]))
        }
        self.agents = agents
    }
}
