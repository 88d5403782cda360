/// When things happen in a demo run, in seconds after the agents start.
///
/// With `--duration D` the script scales to fit D: faults at 20 % of it, retraining at 35 %, rollout
/// stages soaking 8 % each (at least 5 s). If the retraining or the rollouts are still under way at
/// D (a slow or busy machine, a debug build), the demo runs on until they have ended and the final
/// models have judged the plant for `afterStory` (27 % of D), at most 3 × D more.
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
    /// How long the final models run after the last rollout ends before an overtime demo stops, seconds.
    let afterStory: Double

    /// Retraining's data-hygiene guard for the demo: a tenth of the time between start and fault, so
    /// the faulty machines' sound before their first alarm is not learned as normal while their
    /// commissioning audio still is (a plant uses minutes; the demo compresses them into seconds).
    var hygieneGuardSeconds: Int { max(5, Int(faultsAt / 6)) }
    /// The machines' learning period: 80 % of the time before the faults, so it ends before any fault.
    var learningSeconds: Int { max(5, Int(faultsAt * 0.8)) }

    init(duration: Double?) {
        guard let duration else {
            (faultsAt, retrainAt, soakSeconds, endsAt, overtime, afterStory) = (60, 120, 30, nil, 0, 0)
            return
        }
        (faultsAt, retrainAt, soakSeconds, endsAt, overtime, afterStory) = (
            duration * 0.2, duration * 0.35, max(5, Int(duration * 0.08)), duration, duration * 3, duration * 0.27
        )
    }
}
