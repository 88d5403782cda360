/// Deterministic stage assignment: agents are ranked by a 64-bit FNV-1a hash (finished with fmix64) of
/// `"<agent id>/<rollout id>"`, and stage *i* (cumulative percentage pᵢ) covers the first
/// ⌈pᵢ·n/100⌉ agents of the ranking — at least one for the first stage. The same rollout always
/// picks the same canaries; another rollout picks others.
enum RolloutCohorts {
    /// The stage index (cohort) of every agent.
    static func assign(agents: [String], rolloutID: String, stages: [Int]) -> [String: Int] {
        let ranked = agents.sorted { (hash($0, rolloutID), $0) < (hash($1, rolloutID), $1) }
        let cutoffs = stages.enumerated().map { index, percent in
            max(index == 0 ? 1 : 0, (percent * ranked.count + 99) / 100)
        }
        var cohorts: [String: Int] = [:]
        for (rank, agent) in ranked.enumerated() {
            cohorts[agent] = cutoffs.firstIndex { rank < $0 } ?? stages.count - 1
        }
        return cohorts
    }

    static func hash(_ agentID: String, _ rolloutID: String) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(agentID)/\(rolloutID)".utf8 {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
        // FNV-1a barely mixes its last bytes into the high bits; finish with MurmurHash3's fmix64.
        value ^= value >> 33
        value = value &* 0xff51_afd7_ed55_8ccd
        value ^= value >> 33
        value = value &* 0xc4ce_b9fe_1a85_ec53
        value ^= value >> 33
        return value
    }
}
