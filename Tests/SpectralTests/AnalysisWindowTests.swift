import Spectral
import Testing

@Suite struct AnalysisWindowTests {
    /// Values from `librosa.util.pad_center(scipy.signal.get_window('hann', n, fftbins=True), size=padded)` as float32.
    @Test(
        "periodic Hann equals scipy's get_window, centred like librosa.util.pad_center",
        arguments: [
            (8, 8, [0, 0.14644662, 0.5, 0.8535534, 1, 0.8535534, 0.5, 0.14644662] as [Float]),
            (5, 8, [0, 0, 0.3454915, 0.9045085, 0.9045085, 0.3454915, 0, 0]),
            (1, 4, [0, 1, 0, 0]),
        ])
    func hann(_ length: Int, _ padded: Int, _ expected: [Float]) {
        let window = AnalysisWindow.hann(length: length, paddedLength: padded)
        let (diff, _) = Fixtures.maxAbsDiff(window, expected)
        #expect(diff <= 1e-7)
    }
}
