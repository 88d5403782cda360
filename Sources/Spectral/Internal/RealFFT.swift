import CFFTW


/// One FFTW single-precision real-to-complex plan of a fixed size and its aligned buffers.
///
/// Owns the plan and both `fftwf_malloc` buffers and frees them in `deinit`. Planning and
/// destruction run under `FFTWPlanner.lock`. `FFTW_ESTIMATE` is used on purpose: the plan
/// (and therefore every rounding) is the same in every process and on every run, so features
/// computed by the trainer and by an agent agree bit for bit; FFTW_MEASURE picks plans by timing.
/// Not `Sendable`: `execute()` writes the buffers, so an instance belongs to one thread.
final class RealFFT {
    /// Transform length, in samples.
    let size: Int
    /// Real input, `size` floats, 16-byte aligned (fill before `execute()`).
    let input: UnsafeMutablePointer<Float>
    /// Complex output, `size / 2 + 1` interleaved (re, im) pairs.
    let output: UnsafeMutablePointer<Float>
    private let plan: OpaquePointer

    init(size: Int) throws(SpectralError) {
        let bins = size / 2 + 1
        guard size >= 1, size <= Int(Int32.max),
              let inputRaw = fftwf_malloc(size * MemoryLayout<Float>.stride)
        else { throw SpectralError.fftSetupFailed(size: size) }
        guard let outputRaw = fftwf_malloc(bins * 2 * MemoryLayout<Float>.stride) else {
            fftwf_free(inputRaw)
            throw SpectralError.fftSetupFailed(size: size)
        }
        let input = inputRaw.bindMemory(to: Float.self, capacity: size)
        let complex = outputRaw.bindMemory(to: fftwf_complex.self, capacity: bins)
        input.initialize(repeating: 0, count: size)
        let plan = FFTWPlanner.withLock {
            fftwf_plan_dft_r2c_1d(Int32(size), input, complex, UInt32(FFTW_ESTIMATE))
        }
        guard let plan else {
            fftwf_free(inputRaw)
            fftwf_free(outputRaw)
            throw SpectralError.fftSetupFailed(size: size)
        }
        self.size = size
        self.input = input
        // fftwf_complex is float[2]: memory bound to the tuple may be read through its element type.
        self.output = UnsafeMutableRawPointer(outputRaw).assumingMemoryBound(to: Float.self)
        self.plan = plan
    }

    deinit {
        FFTWPlanner.withLock { fftwf_destroy_plan(plan) }
        fftwf_free(input)
        fftwf_free(output)
    }

    /// Transforms `input` into `output`. Does not allocate.
    @inline(__always)
    func execute() {
        fftwf_execute(plan)
    }
}
