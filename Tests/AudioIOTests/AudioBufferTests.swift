import Testing

@testable import AudioIO

@Suite struct AudioBufferTests {
    @Test func mixdownIsTheMeanOfTheChannels() {
        let frames = 1_000
        let channels = 8
        var samples = [Float](repeating: 0, count: frames * channels)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in samples.indices {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            samples[i] = Float(Int64(bitPattern: state >> 11) % 65_536) / 32_768 - 1
        }
        let buffer = AudioBuffer(sampleRate: 16_000, channels: channels, samples: samples)
        let mono = buffer.mixedDown()
        #expect(mono.count == frames)
        let perChannel = (0..<channels).map { buffer.channel($0) }
        for f in 0..<frames {
            var sum: Float = 0
            for c in 0..<channels { sum += perChannel[c][f] }
            #expect(mono[f] == sum / Float(channels))
        }
    }

    @Test func mixdownOfIdenticalChannelsIsThatChannel() {
        let channel: [Float] = (0..<64).map { Float($0) / 64 - 0.5 }
        let interleaved = channel.flatMap { [Float](repeating: $0, count: 4) }
        let buffer = AudioBuffer(sampleRate: 8_000, channels: 4, samples: interleaved)
        #expect(buffer.mixedDown() == channel)
    }

    @Test(arguments: [0, 1, 2])
    func channelSelectionPicksOneChannel(index: Int) {
        let buffer = AudioBuffer(sampleRate: 8_000, channels: 3, samples: [0, 1, 2, 10, 11, 12, 20, 21, 22])
        #expect(buffer.mono(.channel(index)) == [Float(index), Float(10 + index), Float(20 + index)])
        #expect(buffer.frames == 3)
        #expect(buffer.duration == 3.0 / 8_000)
    }
}
