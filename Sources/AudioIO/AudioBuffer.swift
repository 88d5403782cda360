/// A block of decoded audio: float32 samples, interleaved by frame.
///
/// `samples` has `frames × channels` values laid out as
/// `[f0c0, f0c1, …, f0c(n-1), f1c0, …]`, nominally in [-1, 1).
/// Value type; `Sendable`.
public struct AudioBuffer: Sendable, Equatable {
    /// Samples per second per channel, in Hz.
    public var sampleRate: Int
    /// Number of interleaved channels (≥ 1).
    public var channels: Int
    /// Interleaved samples, (frames, channels).
    public var samples: [Float]

    /// Wraps interleaved samples. `samples.count` must be a multiple of `channels`.
    public init(sampleRate: Int, channels: Int, samples: [Float]) {
        precondition(channels >= 1, "AudioBuffer needs at least one channel")
        precondition(samples.count % channels == 0, "interleaved sample count must be a multiple of channels")
        self.sampleRate = sampleRate
        self.channels = channels
        self.samples = samples
    }

    /// Wraps a single channel.
    public init(sampleRate: Int, mono: [Float]) {
        self.init(sampleRate: sampleRate, channels: 1, samples: mono)
    }

    /// Number of frames (samples per channel).
    public var frames: Int { samples.count / channels }

    /// Length in seconds.
    public var duration: Double { Double(frames) / Double(sampleRate) }

    /// One channel, de-interleaved. `index` must be in `0..<channels`.
    public func channel(_ index: Int) -> [Float] {
        precondition((0..<channels).contains(index), "channel index out of range")
        if channels == 1 { return samples }
        return (0..<frames).map { samples[$0 * channels + index] }
    }

    /// The per-frame mean of all channels, as `librosa.load(mono=True)` computes it.
    ///
    /// Each output sample is the float32 sum of the frame's channels, in channel order,
    /// divided by the channel count.
    public func mixedDown() -> [Float] {
        if channels == 1 { return samples }
        let scale = Float(channels)
        var mono = [Float](repeating: 0, count: frames)
        samples.withUnsafeBufferPointer { src in
            for frame in 0..<frames {
                var sum: Float = 0
                let base = frame * channels
                for c in 0..<channels { sum += src[base + c] }
                mono[frame] = sum / scale
            }
        }
        return mono
    }

    /// Reduces to one channel according to `selection`.
    public func mono(_ selection: ChannelSelection) -> [Float] {
        switch selection {
        case .mean: return mixedDown()
        case .channel(let index): return channel(index)
        }
    }
}
