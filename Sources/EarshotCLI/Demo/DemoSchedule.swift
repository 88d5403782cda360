/// When things happen in a demo run, in seconds after the agents start.
///
/// With `--duration D` the script scales to fit D: faults at 20 % of it, retraining at 35 %, rollout
/// stages soaking 8 % each (at least 5 s). Without a duration it runs until Ctrl-C: faults after a
/// minute, retraining after two, 30 s soaks.
struct DemoSchedule {
    /// When the faulty machines switch to abnormal audio.
    let faultsAt: Double
    /// When the hub is asked to retrain `fan-ae`.
    let retrainAt: Double
    /// How long each rollout stage soaks, seconds.
    let soakSeconds: Int
    /// When the demo stops, if it does by itself.
    let endsAt: Double?

    init(duration: Double?) {
        guard let duration else {
            (faultsAt, retrainAt, soakSeconds, endsAt) = (60, 120, 30, nil)
            return
        }
        (faultsAt, retrainAt, soakSeconds, endsAt) = (duration * 0.2, duration * 0.35, max(5, Int(duration * 0.08)), duration)
    }
}
