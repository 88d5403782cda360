import AudioIO
import Foundation
import NumPy
import Spectral

/// Golden librosa fixtures (see Fixtures/make_fixtures.py) and the manifest describing them.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    struct Manifest: Decodable {
        let librosa: String
        let sample_rate: Int
        let clips: [String]
        let cases: [String: Case]
        let mel_cases: [String: MelCase]
        let full_clips: [String: String]
    }

    /// One feature case, keys as in make_fixtures.py (librosa's names).
    struct Case: Decodable {
        let kind: String
        var n_fft: Int?
        var hop_length: Int?
        var win_length: Int?
        var center: Bool?
        var pad_mode: String?
        var power: Float?
        var n_mels: Int?
        var fmin: Double?
        var fmax: Double?
        var htk: Bool?
        var norm: String??
        var n_mfcc: Int?
        var lifter: Double?
        var ref: String?
        var top_db: Float??
        var frames: Int?

        enum CodingKeys: String, CodingKey {
            case kind, n_fft, hop_length, win_length, center, pad_mode, power, n_mels, fmin, fmax, htk, norm, n_mfcc, lifter, ref, top_db, frames
        }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            kind = try c.decode(String.self, forKey: .kind)
            n_fft = try c.decodeIfPresent(Int.self, forKey: .n_fft)
            hop_length = try c.decodeIfPresent(Int.self, forKey: .hop_length)
            win_length = try c.decodeIfPresent(Int.self, forKey: .win_length)
            center = try c.decodeIfPresent(Bool.self, forKey: .center)
            pad_mode = try c.decodeIfPresent(String.self, forKey: .pad_mode)
            power = try c.decodeIfPresent(Float.self, forKey: .power)
            n_mels = try c.decodeIfPresent(Int.self, forKey: .n_mels)
            fmin = try c.decodeIfPresent(Double.self, forKey: .fmin)
            fmax = try c.decodeIfPresent(Double.self, forKey: .fmax)
            htk = try c.decodeIfPresent(Bool.self, forKey: .htk)
            // Present-but-null ("norm": null, "top_db": null) differs from absent (librosa's default).
            norm = c.contains(.norm) ? .some(try c.decodeIfPresent(String.self, forKey: .norm)) : .none
            top_db = c.contains(.top_db) ? .some(try c.decodeIfPresent(Float.self, forKey: .top_db)) : .none
            n_mfcc = try c.decodeIfPresent(Int.self, forKey: .n_mfcc)
            lifter = try c.decodeIfPresent(Double.self, forKey: .lifter)
            ref = try c.decodeIfPresent(String.self, forKey: .ref)
            frames = try c.decodeIfPresent(Int.self, forKey: .frames)
        }

        func spec(sampleRate: Int) -> FeatureSpec {
            var spec = FeatureSpec(kind: FeatureKind(rawValue: kind)!, sampleRate: sampleRate)
            if let n_fft { spec.nFFT = n_fft }
            if let hop_length { spec.hopLength = hop_length }
            spec.winLength = win_length
            if let center { spec.center = center }
            if let pad_mode { spec.padMode = PadMode(rawValue: pad_mode)! }
            if let power { spec.power = power }
            if let n_mels { spec.melBins = n_mels }
            if let fmin { spec.fmin = fmin }
            spec.fmax = fmax
            if htk == true { spec.melScale = .htk }
            if case .some(let value) = norm { spec.melNorm = value == nil ? .none : MelNorm(rawValue: value!)! }
            if let n_mfcc { spec.nMFCC = n_mfcc }
            if let lifter { spec.lifter = lifter }
            if ref == "max" { spec.reference = .max }
            if case .some(let value) = top_db { spec.topDB = value }
            if let frames { spec.stackedFrames = frames }
            return spec
        }
    }

    struct MelCase: Decodable {
        let sr: Int
        let n_fft: Int
        let n_mels: Int
        var htk: Bool?
        var norm: String??
        var fmin: Double?
        var fmax: Double?

        enum CodingKeys: String, CodingKey { case sr, n_fft, n_mels, htk, norm, fmin, fmax }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            sr = try c.decode(Int.self, forKey: .sr)
            n_fft = try c.decode(Int.self, forKey: .n_fft)
            n_mels = try c.decode(Int.self, forKey: .n_mels)
            htk = try c.decodeIfPresent(Bool.self, forKey: .htk)
            norm = c.contains(.norm) ? .some(try c.decodeIfPresent(String.self, forKey: .norm)) : .none
            fmin = try c.decodeIfPresent(Double.self, forKey: .fmin)
            fmax = try c.decodeIfPresent(Double.self, forKey: .fmax)
        }

        func filterbank() throws -> MelFilterbank {
            var melNorm = MelNorm.slaney
            if case .some(let value) = norm { melNorm = value == nil ? .none : MelNorm(rawValue: value!)! }
            return try MelFilterbank(sampleRate: sr, nFFT: n_fft, melBins: n_mels, fmin: fmin ?? 0, fmax: fmax,
                                     scale: htk == true ? .htk : .slaney, norm: melNorm)
        }
    }

    static let manifest: Manifest = {
        let data = try! Data(contentsOf: directory.appendingPathComponent("manifest.json"))
        return try! JSONDecoder().decode(Manifest.self, from: data)
    }()

    static func array(_ name: String) throws -> NumPyArray {
        try NumPyArray(contentsOf: directory.appendingPathComponent(name).path)
    }

    /// The mono input of a fixture clip: the synthetic float32 signal or the 16-bit MIMII excerpt.
    static func clip(_ name: String) throws -> [Float] {
        switch name {
        case "synthetic": return try array("synthetic.npy").floats()
        case "mimii": return try AudioFileReader.read(path: directory.appendingPathComponent("mimii_fan_id00_2s.wav").path).mixedDown()
        default: fatalError("unknown fixture clip \(name)")
        }
    }

    /// Every (clip, case) pair, sorted, for parameterised tests.
    static var featureCases: [String] {
        manifest.clips.flatMap { clip in manifest.cases.keys.sorted().map { "\(clip)/\($0)" } }
    }

    /// Largest absolute difference, and where.
    static func maxAbsDiff(_ a: [Float], _ b: [Float]) -> (value: Float, index: Int) {
        precondition(a.count == b.count)
        var worst: Float = 0, index = 0
        for i in a.indices where abs(a[i] - b[i]) > worst || a[i].isNaN != b[i].isNaN {
            worst = a[i].isNaN != b[i].isNaN ? .infinity : abs(a[i] - b[i])
            index = i
        }
        return (worst, index)
    }
}

/// Where the real MIMII / DCASE recordings are: `$EARSHOT_REAL_DATA`, else `../shared/data` beside the package.
enum RealData {
    static let directory: URL = {
        if let override = ProcessInfo.processInfo.environment["EARSHOT_REAL_DATA"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    }()

    static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("mimii").path)
    }
}
