import Spectral
import Testing

@Suite struct FeatureStreamTests {
    static let chunkSizes = [1, 7, 512, 4096, Int.max]

    /// Specs whose stream output must equal offline extraction bit for bit (no clip-level steps).
    static let specs: [FeatureSpec] = [
        FeatureSpec(kind: .logMel, sampleRate: 16_000, topDB: nil),
        FeatureSpec(kind: .mfcc, sampleRate: 16_000, nMFCC: 40, topDB: nil),
        FeatureSpec(kind: .mel, sampleRate: 16_000, center: false, melBins: 64),
        FeatureSpec(kind: .power, sampleRate: 16_000, nFFT: 512, hopLength: 160, winLength: 400),
        FeatureSpec(kind: .dcaseFrames, sampleRate: 16_000, nFFT: 1024, hopLength: 512),
        FeatureSpec(kind: .logMel, sampleRate: 16_000, nFFT: 256, hopLength: 400, melBins: 32, topDB: nil),  // hop > n_fft
    ]

    static func streamed(_ spec: FeatureSpec, _ signal: [Float], chunk: Int) throws -> [Float] {
        let stream = try FeatureStream(spec: spec)
        var rows: [Float] = []
        var start = 0
        while start < signal.count {
            let end = min(signal.count, start + min(chunk, signal.count))
            try signal[start..<end].withUnsafeBufferPointer { part in
                try stream.push(part) { rows.append(contentsOf: $0) }
            }
            start = end
        }
        stream.finish { rows.append(contentsOf: $0) }
        return rows
    }

    @Test("streaming equals offline exactly for any chunking",
          arguments: Array(specs.indices), chunkSizes)
    func equalsOffline(_ specIndex: Int, _ chunk: Int) throws {
        let spec = Self.specs[specIndex]
        let signal = try Fixtures.clip("mimii")
        let offline = try FeatureExtractor(spec: spec).extract(signal)
        let rows = try Self.streamed(spec, signal, chunk: chunk)
        #expect(rows.count == offline.values.count)
        #expect(rows == offline.values, "\(spec.kind) chunk \(chunk)")
    }

    @Test("top_db applied per window over streamed rows equals offline top_db on that window")
    func clipLevelPerWindow() throws {
        let signal = try Fixtures.clip("synthetic")
        var spec = FeatureSpec(kind: .logMel, sampleRate: 16_000, topDB: 80)
        var rows = try Self.streamed(spec, signal, chunk: 333)
        rows.withUnsafeMutableBufferPointer { Decibels.applyClipLevel($0, reference: .one, topDB: 80) }
        #expect(rows == (try FeatureExtractor(spec: spec).extract(signal)).values)

        // MFCC: clip the window's log-mel, then the DCT per row.
        spec = FeatureSpec(kind: .logMel, sampleRate: 16_000, topDB: nil)
        var logMel = try Self.streamed(spec, signal, chunk: 4096)
        logMel.withUnsafeMutableBufferPointer { Decibels.applyClipLevel($0, reference: .one, topDB: 80) }
        let dct = try DiscreteCosineTransform(inputCount: 128, outputCount: 40)
        var mfcc = [Float](repeating: 0, count: logMel.count / 128 * 40)
        logMel.withUnsafeBufferPointer { l in
            mfcc.withUnsafeMutableBufferPointer { m in
                for t in 0..<(logMel.count / 128) { dct.apply(l.baseAddress! + t * 128, into: m.baseAddress! + t * 40) }
            }
        }
        let offline = try FeatureExtractor(spec: FeatureSpec(kind: .mfcc, sampleRate: 16_000, nMFCC: 40)).extract(signal)
        #expect(mfcc == offline.values)
    }

    @Test("finish resets: a second stream of the same input gives the same rows")
    func reuse() throws {
        let spec = FeatureSpec(kind: .logMel, sampleRate: 16_000, topDB: nil)
        let signal = try Fixtures.clip("synthetic")
        let stream = try FeatureStream(spec: spec)
        var first: [Float] = [], second: [Float] = []
        try stream.push(signal) { first.append(contentsOf: $0) }
        stream.finish { first.append(contentsOf: $0) }
        try stream.push(signal) { second.append(contentsOf: $0) }
        stream.finish { second.append(contentsOf: $0) }
        #expect(first == second)
    }

    @Test("ref=max and reflect padding are rejected in streaming", arguments: [
        FeatureSpec(kind: .logMel, sampleRate: 16_000, reference: .max),
        FeatureSpec(kind: .logMel, sampleRate: 16_000, padMode: .reflect),
    ])
    func unsupported(_ spec: FeatureSpec) {
        #expect {
            try FeatureStream(spec: spec)
        } throws: { error in
            guard case SpectralError.unsupportedInStreaming = error else { return false }
            return true
        }
    }

    @Test("a chunk with NaN is rejected whole; the stream continues unchanged")
    func nanChunk() throws {
        let spec = FeatureSpec(kind: .logMel, sampleRate: 16_000, topDB: nil)
        let signal = try Fixtures.clip("synthetic")
        let stream = try FeatureStream(spec: spec)
        var rows: [Float] = []
        try stream.push(Array(signal[..<10_000])) { rows.append(contentsOf: $0) }
        #expect(throws: SpectralError.nonFiniteInput(index: 2)) {
            try stream.push([0, 0, .nan, 0]) { rows.append(contentsOf: $0) }
        }
        try stream.push(Array(signal[10_000...])) { rows.append(contentsOf: $0) }
        stream.finish { rows.append(contentsOf: $0) }
        #expect(rows == (try FeatureExtractor(spec: spec).extract(signal)).values)
    }
}
