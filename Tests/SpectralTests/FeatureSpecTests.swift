import Spectral
import Testing

@Suite struct FeatureSpecTests {
    @Test("defaults are librosa's")
    func defaults() {
        let spec = FeatureSpec(kind: .mfcc, sampleRate: 22_050)
        #expect(spec.nFFT == 2048 && spec.hopLength == 512 && spec.winLength == nil && spec.center && spec.padMode == .constant)
        #expect(spec.power == 2 && spec.melBins == 128 && spec.fmin == 0 && spec.effectiveFmax == 11_025)
        #expect(spec.melScale == .slaney && spec.melNorm == .slaney && spec.nMFCC == 20 && spec.lifter == 0)
        #expect(spec.reference == .one && spec.amin == 1e-10 && spec.topDB == 80 && spec.stackedFrames == 5)
    }

    @Test(
        "output width per kind",
        arguments: [
            (FeatureKind.power, 1025), (.mel, 128), (.logMel, 128), (.mfcc, 40), (.dcaseFrames, 640),
        ])
    func outputWidth(_ kind: FeatureKind, _ width: Int) {
        #expect(FeatureSpec(kind: kind, sampleRate: 16_000, nMFCC: 40).outputWidth == width)
    }

    @Test(
        "invalid values are rejected by validate()",
        arguments: [
            FeatureSpec(kind: .mel, sampleRate: 0),
            FeatureSpec(kind: .mel, sampleRate: 16_000, power: 0),
            FeatureSpec(kind: .mel, sampleRate: 16_000, melBins: 0),
            FeatureSpec(kind: .mel, sampleRate: 16_000, fmin: -1),
            FeatureSpec(kind: .mfcc, sampleRate: 16_000, lifter: -2),
            FeatureSpec(kind: .logMel, sampleRate: 16_000, amin: 0),
            FeatureSpec(kind: .dcaseFrames, sampleRate: 16_000, stackedFrames: 0),
        ])
    func invalid(_ spec: FeatureSpec) {
        #expect {
            try spec.validate()
        } throws: { error in
            guard case SpectralError.invalidParameter = error else { return false }
            return true
        }
    }

    @Test("fmax exactly at Nyquist is fine, above is not")
    func nyquist() throws {
        try FeatureSpec(kind: .mel, sampleRate: 16_000, fmax: 8000).validate()
        #expect(throws: SpectralError.fmaxAboveNyquist(fmax: 8000.5, nyquist: 8000)) {
            try FeatureSpec(kind: .mel, sampleRate: 16_000, fmax: 8000.5).validate()
        }
    }
}
