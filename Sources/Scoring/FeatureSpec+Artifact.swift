import Spectral
import Wire

extension FeatureSpec {
    /// The `Spectral` computation an artifact's feature spec describes, field by field.
    ///
    /// `DCASE_FRAMES` maps to Spectral's `.dcaseFrames` (the baseline's stacked log-mel frames) exactly as
    /// training computes it. A `win_length` of 0 means `n_fft`, an `fmax_hz` of 0 means Nyquist.
    /// - Parameter artifact: a spec that `FeatureSpecValidator.validate` accepted.
    public init(artifact spec: Earshot_V1_FeatureSpec) {
        let kind: FeatureKind =
            switch spec.kind {
            case .mfcc: .mfcc
            case .dcaseFrames: .dcaseFrames
            default: .logMel
            }
        self.init(
            kind: kind, sampleRate: Int(spec.sampleRateHz), nFFT: Int(spec.nFft), hopLength: Int(spec.hopLength),
            winLength: spec.winLength == 0 ? nil : Int(spec.winLength), center: spec.center,
            padMode: spec.padMode == .reflect ? .reflect : .constant, power: spec.power, melBins: Int(spec.nMels),
            fmin: Double(spec.fminHz), fmax: spec.fmaxHz == 0 ? nil : Double(spec.fmaxHz), melScale: spec.htk ? .htk : .slaney,
            melNorm: spec.melNorm == .none ? .none : .slaney, nMFCC: max(1, Int(spec.nMfcc)), reference: .one,
            amin: spec.amin, topDB: spec.hasTopDb ? spec.topDb : nil, stackedFrames: max(1, Int(spec.frames)))
    }
}
