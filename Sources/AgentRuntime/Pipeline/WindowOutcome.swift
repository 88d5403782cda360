import Scoring
import Wire

/// What an asset's pipeline concluded about one window: the verdict's content, and the audio when the
/// clip policy chose to send it.
///
/// `Sendable`: values only.
public struct WindowOutcome: Sendable {
    /// A window chosen to be sent as a clip.
    public struct ClipAudio: Sendable {
        /// Why it is sent.
        public var reason: Earshot_V1_ClipReason
        /// The hub request it answers, or empty.
        public var requestID: String
        /// Mono samples at `sampleRate` (the capture rate).
        public var samples: [Float]
        /// Capture sample rate, Hz.
        public var sampleRate: Int
    }

    /// The asset.
    public var assetID: String
    /// Wall-clock start of the window, Unix ms.
    public var windowStartMs: Int64
    /// Window length, ms.
    public var windowLengthMs: UInt32
    /// The model that judged it.
    public var model: Earshot_V1_ModelRef
    /// Score, threshold and decision.
    public var score: WindowScore
    /// The predicted label's name.
    public var label: String
    /// Class probabilities for multiclass models; empty otherwise.
    public var classProbabilities: [Float]
    /// The asset's state after this window.
    public var state: Earshot_V1_AssetState
    /// The clip to send, if any.
    public var clip: ClipAudio?

    /// An outcome (asset pipelines, or a simulated agent's synthetic verdicts).
    public init(
        assetID: String, windowStartMs: Int64, windowLengthMs: UInt32, model: Earshot_V1_ModelRef, score: WindowScore, label: String,
        classProbabilities: [Float], state: Earshot_V1_AssetState, clip: ClipAudio?
    ) {
        self.assetID = assetID
        self.windowStartMs = windowStartMs
        self.windowLengthMs = windowLengthMs
        self.model = model
        self.score = score
        self.label = label
        self.classProbabilities = classProbabilities
        self.state = state
        self.clip = clip
    }
}
