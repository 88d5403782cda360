import CInferenceKernels

#if canImport(Glibc)
import Glibc
#endif

/// The int8 convolution on x86-64 vector units, behind `Conv1D`, `Conv2D` and `FullyConnected` when the
/// CPU has them: the 4-way int8 dot product of AVX-512 VNNI (`vpdpbusd`), or AVX2's `vpmaddwd` on taps
/// widened to int16 (``Kernel``). Bit-identical to the reference with either.
///
/// Why C: Swift emits only the baseline instruction set of the build target, and an AVX2 or AVX-512 build
/// would not run on other CPUs of the architecture. The C kernels (`CInferenceKernels`) compile just these
/// functions for their instruction sets and are chosen at run time; docs/inference.md has the measurements
/// that justify them (far over the 1.5× bar against `PackedConvolution`, the best Swift kernel).
///
/// Arithmetic, chosen so the result equals the reference bit for bit:
/// - Both kernels multiply unsigned by signed bytes, so the input is copied once per call into `scratch`
///   as `u = x + 128`, with the padding taps set to `zp + 128`.
/// - `Σ u·w = Σ_in (x − zp)·w + (zp + 128)·Σw` over all taps (a padding tap contributes `(zp + 128)·w`),
///   so the bias is folded at load as `bias − (zp + 128)·Σw`. Products are ≤ 255 × 127 and four of them
///   fit an int32; all sums wrap like the reference's.
/// - Requantization is gemmlowp's, lane by lane in 64-bit (see `convolution.c`); it needs multipliers
///   ≥ 0, which `init` checks (every positive scale gives one).
/// `Sendable`: a value type.
struct DotProductConvolution: Sendable {
    /// The C kernel that runs the packed layer; every kernel reads the same packing.
    enum Kernel: Int32, Sendable, CaseIterable {
        case avx2 = 1
        case avx512VNNI = 2

        /// The kernel layers use: the fastest this CPU runs, nil when none does (arm64, or x86-64 without
        /// AVX2). The environment variable `EARSHOT_INT8_KERNEL` caps it, to compare kernels on one machine:
        /// `swift` (no C kernel), `avx2`, or `avx512-vnni`; any other value stops the process with a message.
        static let best: Kernel? = {
            let fastest = available.last
            guard let requested = getenv("EARSHOT_INT8_KERNEL").map({ String(cString: $0) }) else { return fastest }
            switch requested {
            case "swift": return nil
            case "avx2": return available.first { $0 == .avx2 }
            case "avx512-vnni": return fastest
            default: fatalError("EARSHOT_INT8_KERNEL must be swift, avx2 or avx512-vnni, not \(requested)")
            }
        }()

        /// Every kernel this CPU runs, slowest first.
        static var available: [Kernel] { allCases.filter { $0.rawValue <= ek_best_kernel() } }
    }

    /// The kernel `run` uses: ``Kernel/best`` unless changed (tests run every available one).
    var kernel: Kernel
    /// Elements of int8 scratch `run` needs (the padded unsigned input and slack).
    let scratchCount: Int
    let rows: WindowGeometry
    let columns: WindowGeometry
    let inputChannels: Int
    let outputChannels: Int
    /// 4-byte groups per kernel row: `ceil(kw × Cin / 4)`.
    let groups: Int
    /// `inputZeroPoint + 128`.
    let padCode: Int32
    let outputZeroPoint: Int32
    let activationMin: Int32
    let activationMax: Int32
    /// `[block][kh][groups][16][4]` int8.
    let weights: [Int8]
    let bias: [Int32]
    let multipliers: [Int32]
    let leftShifts: [Int32]
    let rightShifts: [Int32]

    /// Packs the layer for ``Kernel/best``, or returns nil when no kernel runs on this CPU (or a multiplier is negative).
    /// - Parameters:
    ///   - weights: HWIO `(kh, kw, Cin, Cout)` int8 in [-127, 127].
    ///   - bias: `(Cout)` int32 at scale `inputScale × weightScale[c]`.
    init?(
        rows: WindowGeometry, columns: WindowGeometry, inputChannels: Int, outputChannels: Int,
        weights hwio: [Int8], bias unfolded: [Int32], inputZeroPoint: Int32, requantization: ChannelRequantization
    ) {
        guard let kernel = Kernel.best, requantization.multipliers.allSatisfy({ $0.multiplier >= 0 }) else { return nil }
        self.kernel = kernel
        let lanes = 16
        let blocks = (outputChannels + lanes - 1) / lanes
        let span = columns.window * inputChannels
        let groups = (span + 3) / 4
        let padCode = inputZeroPoint + 128
        var packed = [Int8](repeating: 0, count: blocks * rows.window * groups * 64)
        var folded = [Int32](repeating: 0, count: blocks * lanes)
        for c in 0..<outputChannels {
            let (block, lane) = c.quotientAndRemainder(dividingBy: lanes)
            var sum: Int32 = 0
            for ky in 0..<rows.window {
                for s in 0..<span {
                    let w = hwio[(ky * span + s) * outputChannels + c]
                    packed[((block * rows.window + ky) * groups + s / 4) * 64 + lane * 4 + s % 4] = w
                    sum &+= Int32(w)
                }
            }
            folded[c] = unfolded[c] &- padCode &* sum
        }
        let padded = blocks * lanes
        func perChannel(_ value: (QuantizedMultiplier) -> Int32) -> [Int32] {
            requantization.multipliers.map(value) + [Int32](repeating: 0, count: padded - outputChannels)
        }
        self.weights = packed
        self.bias = folded
        multipliers = perChannel(\.multiplier)
        leftShifts = perChannel { Int32(max($0.shift, 0)) }
        rightShifts = perChannel { Int32(max(-$0.shift, 0)) }
        self.rows = rows
        self.columns = columns
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.groups = groups
        self.padCode = padCode
        outputZeroPoint = requantization.outputZeroPoint
        activationMin = requantization.activationMin
        activationMax = requantization.activationMax
        let paddedRows = (rows.output - 1) * rows.stride + rows.window
        let paddedColumns = (columns.output - 1) * columns.stride + columns.window
        scratchCount = paddedRows * paddedColumns * inputChannels + 64  // padded copy + slack, see the C header
    }

    /// The C description without buffer pointers (`run` adds them).
    private func layout() -> EKConvolution {
        var layout = EKConvolution()
        layout.input_height = Int32(rows.input)
        layout.input_width = Int32(columns.input)
        layout.input_channels = Int32(inputChannels)
        layout.kernel_height = Int32(rows.window)
        layout.groups = Int32(groups)
        layout.stride_height = Int32(rows.stride)
        layout.stride_width = Int32(columns.stride)
        layout.pad_top = Int32(rows.padBefore)
        layout.pad_left = Int32(columns.padBefore)
        layout.padded_height = Int32((rows.output - 1) * rows.stride + rows.window)
        layout.padded_width = Int32((columns.output - 1) * columns.stride + columns.window)
        layout.output_height = Int32(rows.output)
        layout.output_width = Int32(columns.output)
        layout.output_channels = Int32(outputChannels)
        layout.pad_code = padCode
        layout.output_zero_point = outputZeroPoint
        layout.activation_min = activationMin
        layout.activation_max = activationMax
        return layout
    }

    /// Runs the convolution; `input` `(rows.input, columns.input, Cin)`, `output` `(rows.output,
    /// columns.output, Cout)`, `scratch` at least `scratchCount` elements. No allocation.
    func run(input: UnsafePointer<Int8>, output: UnsafeMutablePointer<Int8>, scratch: UnsafeMutablePointer<Int8>) {
        weights.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { b in
                multipliers.withUnsafeBufferPointer { m in
                    leftShifts.withUnsafeBufferPointer { l in
                        rightShifts.withUnsafeBufferPointer { r in
                            var layout = layout()
                            layout.weights = w.baseAddress
                            layout.bias = b.baseAddress
                            layout.multiplier = m.baseAddress
                            layout.left_shift = l.baseAddress
                            layout.right_shift = r.baseAddress
                            scratch.withMemoryRebound(to: UInt8.self, capacity: scratchCount) {
                                ek_convolution_run(&layout, kernel.rawValue, input, output, $0)
                            }
                        }
                    }
                }
            }
        }
    }
}
