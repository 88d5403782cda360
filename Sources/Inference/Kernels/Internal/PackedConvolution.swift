/// The optimized int8 direct convolution behind `Conv1D`, `Conv2D` and `FullyConnected`.
///
/// Layout and arithmetic, all chosen so the result equals the reference bit for bit:
/// - Weights are widened to `Int16` and packed per block of 16 output channels as
///   `[block][kh][kw × Cin][16 lanes]`, so the inner loop streams one contiguous run of vectors while it
///   walks one contiguous input row span `(kw, Cin)`. Missing lanes of the last block are zero.
/// - Each tap multiplies in `Int16` (`|w| ≤ 127`, `|x| ≤ 128`, so `|w·x| ≤ 16 256` and two products still
///   fit in `Int16`), adds two taps, and widens once to `Int32`: a portable stand-in for `pmaddwd`.
/// - The input zero point is folded into the bias: `Σ (x − zp)·w + b = Σ x·w + (b − zp·Σw)`. Padding taps
///   read the value `zp`, which contributes exactly `zp·w`, so border outputs need no correction.
///   The reference skips padding taps; both are equal modulo 2³² because all sums wrap.
/// - Output channel blocks are the outer loop so one block's weights stay in L1 across all positions.
/// - Two horizontally neighbouring interior outputs are accumulated together so every weight load serves
///   both. (Pairing two channel blocks per output instead measured the same on the ResNet 3×3 layer.)
/// - The code is plain Swift SIMD for the baseline x86-64 (SSE2) and arm64 targets: no target flags, so
///   the agent binary runs on any CPU of its architecture.
/// `Sendable`: immutable after `init`.
struct PackedConvolution: Sendable {
    static let lanes = 16

    let rows: WindowGeometry
    let columns: WindowGeometry
    let inputChannels: Int
    let outputChannels: Int
    let blocks: Int
    /// `(kw × Cin)`: the contiguous input run one kernel row reads.
    let span: Int
    /// `[block][kh][span]` vectors of 16 output channels; empty in a layer `Model` holds for a C kernel
    /// (`ConvolutionPaths.keepingOnlyTheFastestPath()`), which never runs this kernel.
    var weights: [SIMD16<Int16>]
    /// `[block]` bias with `−zp·Σw` folded in, one lane per output channel.
    let foldedBias: [SIMD16<Int32>]
    let inputZeroPoint: Int16
    let multipliers: [Int32]
    let leftShifts: [Int32]
    let rightShifts: [Int32]
    let outputZeroPoint: Int32
    let activationMin: Int32
    let activationMax: Int32

    /// - Parameters:
    ///   - weights: HWIO `(kh, kw, Cin, Cout)` int8 in [-127, 127].
    ///   - bias: `(Cout)`, int32 at scale `inputScale × weightScale[c]`.
    init(
        rows: WindowGeometry, columns: WindowGeometry, inputChannels: Int, outputChannels: Int,
        weights source: [Int8], bias: [Int32], inputZeroPoint: Int32, requantization: ChannelRequantization
    ) {
        self.rows = rows
        self.columns = columns
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        let lanes = Self.lanes
        blocks = (outputChannels + lanes - 1) / lanes
        span = columns.window * inputChannels
        let taps = rows.window * span
        var packed = [SIMD16<Int16>](repeating: .zero, count: blocks * taps)
        var folded = [SIMD16<Int32>](repeating: .zero, count: blocks)
        for c in 0..<outputChannels {
            var sum: Int32 = 0
            for t in 0..<taps {
                let w = source[t * outputChannels + c]
                packed[(c / lanes) * taps + t][c % lanes] = Int16(w)
                sum &+= Int32(w)
            }
            folded[c / lanes][c % lanes] = bias[c] &- inputZeroPoint &* sum
        }
        self.weights = packed
        self.foldedBias = folded
        self.inputZeroPoint = Int16(inputZeroPoint)
        multipliers = requantization.multipliers.map(\.multiplier)
        leftShifts = requantization.multipliers.map { Int32(max($0.shift, 0)) }
        rightShifts = requantization.multipliers.map { Int32(max(-$0.shift, 0)) }
        outputZeroPoint = requantization.outputZeroPoint
        activationMin = requantization.activationMin
        activationMax = requantization.activationMax
    }

    /// Runs the convolution. `input` is `(rows.input, columns.input, Cin)` int8, `output` is
    /// `(rows.output, columns.output, Cout)` int8; no allocation, no checks beyond the counts.
    func run(input: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>) {
        precondition(!weights.isEmpty, "PackedConvolution: weights dropped for a C kernel (keepingOnlyTheFastestPath)")
        weights.withUnsafeBufferPointer { packed in
            foldedBias.withUnsafeBufferPointer { bias in
                multipliers.withUnsafeBufferPointer { multiplier in
                    leftShifts.withUnsafeBufferPointer { leftShift in
                        rightShifts.withUnsafeBufferPointer { rightShift in
                            run(
                                input.baseAddress!, output.baseAddress!, packed.baseAddress!, bias.baseAddress!,
                                multiplier.baseAddress!, leftShift.baseAddress!, rightShift.baseAddress!)
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    private func run(
        _ x: UnsafePointer<Int8>, _ y: UnsafeMutablePointer<Int8>, _ packed: UnsafePointer<SIMD16<Int16>>,
        _ bias: UnsafePointer<SIMD16<Int32>>, _ multiplier: UnsafePointer<Int32>, _ leftShift: UnsafePointer<Int32>,
        _ rightShift: UnsafePointer<Int32>
    ) {
        let lanes = Self.lanes
        let cin = inputChannels
        let cout = outputChannels
        let width = columns.input
        let kernelRows = rows.window
        let taps = kernelRows * span
        for block in 0..<blocks {
            let w = packed + block * taps
            let channel0 = block * lanes
            let laneCount = min(lanes, cout - channel0)
            @inline(__always)
            func store(_ acc: SIMD16<Int32>, _ oy: Int, _ ox: Int) {
                let out = y + (oy * columns.output + ox) * cout + channel0
                for lane in 0..<laneCount {
                    let c = channel0 + lane
                    let high = FixedPoint.saturatingRoundingDoublingHighMul(acc[lane] &<< leftShift[c], multiplier[c])
                    let scaled = FixedPoint.roundingDivideByPOT(high, rightShift[c]) &+ outputZeroPoint
                    out[lane] = Int8(truncatingIfNeeded: min(max(scaled, activationMin), activationMax))
                }
            }
            for oy in 0..<rows.output {
                let iy0 = rows.origin(oy)
                let rowInterior = rows.isInterior(oy)
                var ox = 0
                while ox < columns.output {
                    let ix0 = columns.origin(ox)
                    if rowInterior && ox + 1 < columns.output && columns.isInterior(ox) && columns.isInterior(ox + 1) {
                        // Two neighbouring outputs share every weight load.
                        var acc0 = bias[block]
                        var acc1 = acc0
                        let next = columns.stride * cin
                        for ky in 0..<kernelRows {
                            let row = x + ((iy0 + ky) * width + ix0) * cin
                            Self.accumulate(&acc0, &acc1, row, row + next, w + ky * span, span)
                        }
                        store(acc0, oy, ox)
                        store(acc1, oy, ox + 1)
                        ox += 2
                        continue
                    }
                    var acc = bias[block]
                    if rowInterior && columns.isInterior(ox) {
                        for ky in 0..<kernelRows {
                            Self.accumulate(&acc, x + ((iy0 + ky) * width + ix0) * cin, w + ky * span, span)
                        }
                    } else {
                        accumulateBorder(&acc, x, w, iy0, ix0)
                    }
                    store(acc, oy, ox)
                    ox += 1
                }
            }
        }
    }

    /// `acc0 += Σ_j w[j]·x0[j]` and `acc1 += Σ_j w[j]·x1[j]` over one contiguous span each.
    @inline(__always)
    private static func accumulate(
        _ acc0: inout SIMD16<Int32>, _ acc1: inout SIMD16<Int32>, _ x0: UnsafePointer<Int8>, _ x1: UnsafePointer<Int8>,
        _ w: UnsafePointer<SIMD16<Int16>>, _ count: Int
    ) {
        var j = 0
        while j + 1 < count {
            let w0 = w[j]
            let w1 = w[j + 1]
            acc0 &+= SIMD16<Int32>(
                truncatingIfNeeded: w0 &* SIMD16(repeating: Int16(x0[j])) &+ w1 &* SIMD16(repeating: Int16(x0[j + 1])))
            acc1 &+= SIMD16<Int32>(
                truncatingIfNeeded: w0 &* SIMD16(repeating: Int16(x1[j])) &+ w1 &* SIMD16(repeating: Int16(x1[j + 1])))
            j += 2
        }
        if j < count {
            acc0 &+= SIMD16<Int32>(truncatingIfNeeded: w[j] &* SIMD16(repeating: Int16(x0[j])))
            acc1 &+= SIMD16<Int32>(truncatingIfNeeded: w[j] &* SIMD16(repeating: Int16(x1[j])))
        }
    }

    /// `acc += Σ_j w[j]·x[j]` over one contiguous span, two taps per widening.
    @inline(__always)
    private static func accumulate(
        _ acc: inout SIMD16<Int32>, _ x: UnsafePointer<Int8>, _ w: UnsafePointer<SIMD16<Int16>>, _ count: Int
    ) {
        var j = 0
        while j + 1 < count {
            let pair = w[j] &* SIMD16(repeating: Int16(x[j])) &+ w[j + 1] &* SIMD16(repeating: Int16(x[j + 1]))
            acc &+= SIMD16<Int32>(truncatingIfNeeded: pair)
            j += 2
        }
        if j < count {
            acc &+= SIMD16<Int32>(truncatingIfNeeded: w[j] &* SIMD16(repeating: Int16(x[j])))
        }
    }

    /// Border outputs: taps outside the input read the zero point (see the type's documentation).
    private func accumulateBorder(
        _ acc: inout SIMD16<Int32>, _ x: UnsafePointer<Int8>, _ w: UnsafePointer<SIMD16<Int16>>, _ iy0: Int, _ ix0: Int
    ) {
        let cin = inputChannels
        for ky in 0..<rows.window {
            let iy = iy0 + ky
            let rowInside = iy >= 0 && iy < rows.input
            for kx in 0..<columns.window {
                let ix = ix0 + kx
                let tap = w + ky * span + kx * cin
                if rowInside && ix >= 0 && ix < columns.input {
                    Self.accumulate(&acc, x + (iy * columns.input + ix) * cin, tap, cin)
                } else {
                    let pad = SIMD16(repeating: inputZeroPoint)
                    for ci in 0..<cin { acc &+= SIMD16<Int32>(truncatingIfNeeded: tap[ci] &* pad) }
                }
            }
        }
    }
}
