/// The two public directory schemes for machine-sound recordings, which Earshot reads as-is and writes
/// when it synthesises a dataset.
public enum DatasetLayout: String, Sendable, CaseIterable {
    /// MIMII: `<snr>_dB_<type>/<type>/id_<NN>/<normal|abnormal>/<8 digits>.wav`,
    /// e.g. `-6_dB_fan/fan/id_00/abnormal/00000003.wav`.
    case mimii
    /// DCASE 2020 Task 2: `<type>/<train|test>/<normal|anomaly>_id_<NN>_<8 digits>.wav`.
    case dcase
}
