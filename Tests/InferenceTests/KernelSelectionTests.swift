import Testing

@testable import Inference

/// The C convolution kernel is chosen at run time from the CPU: every kernel /proc/cpuinfo allows is
/// available and the fastest runs, so the bit-for-bit tests of `Conv1D`, `Conv2D` and `FullyConnected`
/// exercise each kernel this machine has (AVX2 and AVX-512 VNNI on the CI machine).
@Suite struct KernelSelectionTests {
    @Test func everyKernelTheCPUReportsIsAvailableAndTheFastestIsChosen() {
        let reported = kernelsTheCPUReports()
        #expect(DotProductConvolution.Kernel.available == reported)
        #expect(DotProductConvolution.Kernel.best == reported.last)
    }
}
