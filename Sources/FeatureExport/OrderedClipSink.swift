import NumPy

/// Takes clip outcomes in any order and writes them to the features file in input order, keeping only the
/// clips not yet written in memory; collects labels and index lines on the way.
///
/// Not `Sendable`: it lives inside a `Mutex` and is only touched under it.
final class OrderedClipSink {
    let clips: [LocatedClip]
    let writer: NumPyMatrixWriter
    let skipUnreadable: Bool
    let requireOneRate: Bool
    private let onSkipped: (String) -> Void
    private var pending: [Int: ClipOutcome] = [:]
    private var next = 0
    private var rate: Int?
    /// One per row, true for normal.
    private(set) var labels: [Bool] = []
    private(set) var index = "path,label,machine_type,machine_id,snr_db,split,first_row,rows\n"
    private(set) var skipped = 0
    /// The error that ends the run, if any.
    private(set) var failure: String?

    init(clips: [LocatedClip], writer: NumPyMatrixWriter, skipUnreadable: Bool, requireOneRate: Bool, onSkipped: @escaping (String) -> Void)
    {
        self.clips = clips
        self.writer = writer
        self.skipUnreadable = skipUnreadable
        self.requireOneRate = requireOneRate
        self.onSkipped = onSkipped
    }

    func deposit(_ outcome: ClipOutcome, at position: Int) {
        pending[position] = outcome
        while failure == nil, let ready = pending.removeValue(forKey: next) {
            take(ready, clip: clips[next])
            next += 1
        }
    }

    private func take(_ outcome: ClipOutcome, clip: LocatedClip) {
        switch outcome {
        case .failed(let message):
            failure = message
        case .unreadable(let message):
            guard skipUnreadable else {
                failure = "\(message) (use --skip-unreadable to leave such files out)"
                return
            }
            onSkipped(message)
            skipped += 1
        case .features(let matrix, let sampleRate):
            if requireOneRate, let rate, rate != sampleRate {
                failure =
                    "\(clip.path): \(sampleRate) Hz differs from the earlier clips' \(rate) Hz; pass --sample-rate HZ to resample all to one rate"
                return
            }
            rate = sampleRate
            index += clip.csvLine(firstRow: writer.rows, rows: matrix.frames)
            do {
                try writer.append(matrix.values)
            } catch {
                failure = error.description
                return
            }
            if let label = clip.label { labels += repeatElement(label == .normal, count: matrix.frames) }
        }
    }
}
