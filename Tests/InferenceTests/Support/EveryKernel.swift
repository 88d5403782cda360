import Foundation

@testable import Inference

/// The outputs of a layer's packed convolution run by every C kernel this CPU has
/// (`DotProductConvolution.Kernel.available`: AVX2 and AVX-512 VNNI here), each with the kernel's name;
/// empty where no kernel runs. Scratch starts as garbage, as in `run(_:outputCount:scratchCount:_:)`.
func runEveryKernel(_ convolution: DotProductConvolution?, _ input: [Int8], outputCount: Int) -> [(kernel: String, output: [Int8])] {
    guard var convolution else { return [] }
    return DotProductConvolution.Kernel.available.map { kernel in
        convolution.kernel = kernel
        let prepared = convolution
        return (
            "\(kernel)",
            run(input, outputCount: outputCount, scratchCount: prepared.scratchCount) {
                prepared.run(input: $0.baseAddress!, output: $1.baseAddress!, scratch: $2.baseAddress!)
            }
        )
    }
}

/// The kernels /proc/cpuinfo says this CPU runs (empty off x86-64 Linux).
func kernelsTheCPUReports() -> [DotProductConvolution.Kernel] {
    guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
        let flagsLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return [] }
    let flags = Set(flagsLine.split(separator: " ").map(String.init))
    var kernels: [DotProductConvolution.Kernel] = []
    if flags.contains("avx2") { kernels.append(.avx2) }
    if ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512_vnni"].allSatisfy(flags.contains) { kernels.append(.avx512VNNI) }
    return kernels
}
