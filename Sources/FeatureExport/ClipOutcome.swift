import AudioIO
import Spectral

/// What happened to one clip.
enum ClipOutcome {
    case features(FeatureMatrix, sampleRate: Int)
    case unreadable(String)
    case failed(String)

    /// Decodes `path` (mixed to mono, resampled to `targetRate` if given) and extracts `template`'s
    /// features at its rate, reusing `extractor` while the rate stays the same; `mean` keeps the mean over time.
    static func of(
        _ path: String, template: FeatureSpec, targetRate: Int?, mean: Bool, extractor: inout FeatureExtractor?
    ) -> ClipOutcome {
        let mono: AudioBuffer
        do {
            mono = try AudioFileReader.readMono(path: path, sampleRate: targetRate)
        } catch {
            return .unreadable("\(error)")
        }
        do {
            let rate = mono.sampleRate
            if extractor?.spec.sampleRate != rate {
                var spec = template
                spec.sampleRate = rate
                extractor = try FeatureExtractor(spec: spec)
            }
            let matrix = try extractor!.extract(mono.samples)
            if mean {
                let row = matrix.meanOverTime()
                return .features(FeatureMatrix(frames: 1, width: row.count, values: row), sampleRate: rate)
            }
            return .features(matrix, sampleRate: rate)
        } catch {
            return .failed("\(path): \(error)")
        }
    }
}
