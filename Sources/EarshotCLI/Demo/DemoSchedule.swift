/// When things happen in a demo run, in seconds after the agents start.
///
/// With `--duration D` the script scales to fit D: faults at 20 % of it, retraining at 35 %, rollout
/// stages soaking 8 % each (at least 5 s). If the retraining or the rollout is still under way at
/// D (a slow or busy machine, a debug build), the demo runs on until it ends, at most 2 × D more.
/// Without a duration it runs until Ctrl-C: faults after a minute, retraining after two, 30 s soaks.
struct DemoSchedule {
    /// When the faulty machines switch to abnormal audio.
    let faultsAt: Double
    /// When the hub is asked to retrain `fan-ae`.
    let retrainAt: Double
    /// How long each rollout stage soaks, seconds.
    let soakSeconds: Int
    /// When the demo stops, if it does by itself and its retraining and rollout have ended.
    let endsAt: Double?
    /// How long past `endsAt` the demo waits for an unfinished retraining or rollout, seconds.
    let overtime: Double

    init(duration: Double?) {
        guard let duration else {
            (faultsAt, retrainAt, soakSeconds, endsAt, overtime) = (60, 120, 30, nil, 0)
            return
        }
        (faultsAt, retrainAt, soakSeconds, endsAt, overtime) = (
            duration * 0.2, duration * 0.35, max(5, Int(duration * 0.08)), duration, duration * 2
        )
    }
}
