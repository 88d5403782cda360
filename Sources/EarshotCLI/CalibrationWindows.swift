import AudioIO
import Foundation
import Spectral
import Wire

/// Model input windows computed from audio with an artifact's feature spec, for `quantize --calibration DIR`:
/// every `.wav` under the directory is mixed down, resampled to the spec's rate and turned into windows
/// exactly as the agent will (MFCC mean → one window per clip; DCASE frames → one window per stacked
/// vector; log-mel → consecutive `(mels, time_frames)` chunks, transposed to mel-major).
enum CalibrationWindows {
    /// `Spectral.FeatureSpec` for an artifact's feature spec (which `FeatureSpecValidator` accepted).
    static func spectralSpec(_ f: Earshot_V1_FeatureSpec) -> FeatureSpec {
        let kind: FeatureKind =
            switch f.kind {
            case .mfcc: .mfcc
            case .dcaseFrames: .dcaseFrames
            default: .logMel
            }
        return FeatureSpec(
            kind: kind, sampleRate: Int(f.sampleRateHz), nFFT: Int(f.nFft), hopLength: Int(f.hopLength),
            winLength: f.winLength == 0 ? nil : Int(f.winLength), center: f.center,
            padMode: f.padMode == .reflect ? .reflect : .constant, power: f.power, melBins: Int(f.nMels),
            fmin: Double(f.fminHz), fmax: f.fmaxHz == 0 ? nil : Double(f.fmaxHz), melScale: f.htk ? .htk : .slaney,
            melNorm: f.melNorm == .none ? .none : .slaney, nMFCC: Int(max(f.nMfcc, 1)), reference: .one, amin: f.amin,
            topDB: f.hasTopDb ? f.topDb : nil, stackedFrames: Int(max(f.frames, 1)))
    }

    /// Windows of `inputCount` values from every WAV under `directory`.
    static func load(directory: String, spec: Earshot_V1_FeatureSpec, inputCount: Int) throws -> [[Float]] {
        let paths = (FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? [])
            .filter { $0.lowercased().hasSuffix(".wav") }.sorted().map { (directory as NSString).appendingPathComponent($0) }
        guard !paths.isEmpty else { throw CLIError("\(directory): no .wav files to calibrate on") }
        let extractor = try FeatureExtractor(spec: spectralSpec(spec))
        let rate = Int(spec.sampleRateHz)
        var windows: [[Float]] = []
        for path in paths {
            let buffer = try AudioFileReader.read(path: path)
            var mono = buffer.mixedDown()
            if buffer.sampleRate != rate { mono = try Resampler(from: buffer.sampleRate, to: rate).process(mono) }
            let matrix = try extractor.extract(mono)
            if spec.meanOverTime {
                windows.append(matrix.meanOverTime())
            } else if spec.kind == .logMel {
                let frames = inputCount / matrix.width
                var start = 0
                while start + frames <= matrix.frames {
                    // (frames, mels) → (mels, frames): the model's (height = mel, width = time, 1) input.
                    windows.append(
                        (0..<(matrix.width * frames)).map { i in
                            matrix.values[(start + i % frames) * matrix.width + i / frames]
                        })
                    start += frames
                }
            } else {
                for t in 0..<matrix.frames { windows.append(Array(matrix.row(t))) }
            }
        }
        let valid = windows.filter { $0.count == inputCount }
        guard !valid.isEmpty else {
            throw CLIError(
                "\(directory): the feature spec gives windows of \(windows.first?.count ?? 0) values, the model needs \(inputCount)")
        }
        return valid
    }
}
