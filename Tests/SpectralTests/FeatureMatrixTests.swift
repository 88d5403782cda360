import Spectral
import Testing

@Suite struct FeatureMatrixTests {
    @Test("DCASE stacking: row i is frames i..<i+k concatenated")
    func stacking() {
        // 4 frames of 2 mel bins: frame t = [10t, 10t + 1]
        let matrix = FeatureMatrix(frames: 4, width: 2, values: [0, 1, 10, 11, 20, 21, 30, 31])
        let stacked = matrix.stacked(3)
        #expect(stacked.frames == 2 && stacked.width == 6)
        #expect(stacked.values == [0, 1, 10, 11, 20, 21, 10, 11, 20, 21, 30, 31])
        #expect(matrix.stacked(5).frames == 0)
    }

    @Test("mean over time averages each column")
    func mean() {
        let matrix = FeatureMatrix(frames: 3, width: 2, values: [1, 10, 2, 20, 6, 60])
        #expect(matrix.meanOverTime() == [3, 30])
        #expect(Array(matrix.row(1)) == [2, 20])
    }
}
