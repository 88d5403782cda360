import Spectral
import Testing

@testable import Training

@Suite struct AudioConfigTests {
    private func logMelConfig(seconds: Double) throws -> AudioConfig {
        let yaml = """
            architecture:
                backbone: resnet-small
            audio:
                feature: logmel
                sample_rate: 16000
                stft_window_size: 1024
                hop_size: 512
                mel_frequency_bins: 4
                training_chunk_seconds: \(seconds)
            dataset:
                labels: [a, b]
            training:
                loss_function: CrossEntropy
            """
        return try ExperimentConfig(yaml: yaml).audio
    }

    @Test func logMelChunksCoverTheClipWithTheLastAlignedToItsEnd() throws {
        let audio = try logMelConfig(seconds: 0.1)  // 1 + 1600 / 512 = 4 frames per chunk
        // 10 frames of 4 mels, value = 10·frame + mel.
        let clip = FeatureMatrix(frames: 10, width: 4, values: (0..<10).flatMap { f in (0..<4).map { Float(10 * f + $0) } })
        let (x, clipOfRow) = audio.modelInputs([clip, clip])
        #expect(x.shape == [6, 4, 4, 1] && clipOfRow == [0, 0, 0, 1, 1, 1])
        // Chunk 0 starts at frame 0, chunk 2 at frame 6 (aligned to the end); (mel, frame) orientation.
        #expect(x.values[0..<4] == [0, 10, 20, 30])
        #expect(x.values[(2 * 16)..<(2 * 16 + 4)] == [60, 70, 80, 90])
        #expect(x.values[2 * 16 + 4] == 61)
    }

    @Test func aClipShorterThanAChunkIsPaddedWithItsMinimum() throws {
        let audio = try logMelConfig(seconds: 0.1)
        let clip = FeatureMatrix(frames: 2, width: 4, values: [5, 6, 7, 8, -3, 1, 2, 3])
        let (x, _) = audio.modelInputs([clip])
        #expect(x.shape == [1, 4, 4, 1])
        #expect(x.values[0..<4] == [5, -3, -3, -3])
    }

    @Test func fmaxAboveNyquistIsRefusedNamingTheKey() {
        let yaml = minimalConfig.replacingOccurrences(
            of: "feature: mfcc-mean", with: "feature: mfcc-mean\n    sample_rate: 22050\n    maximum_frequency: 16000")
        do {
            _ = try ExperimentConfig(yaml: yaml)
            Issue.record("accepted fmax above Nyquist")
        } catch let TrainingError.invalidConfig(keyPath, _) {
            #expect(keyPath == "audio.maximum_frequency")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func featureSpecFollowsTheConfig() throws {
        let spec = try ExperimentConfig(contentsOf: configsDirectory.appendingPathComponent("dcase-autoencoder.yaml").path).audio
            .featureSpec
        #expect(spec.kind == .dcaseFrames && spec.nFFT == 1024 && spec.hopLength == 512 && spec.melBins == 128)
        #expect(spec.stackedFrames == 5 && spec.outputWidth == 640 && spec.sampleRate == 16_000)
    }
}
