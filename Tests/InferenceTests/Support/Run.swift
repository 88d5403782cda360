/// Runs a kernel-style closure over arrays, returning the filled output array.
func run(_ input: [Int8], outputCount: Int, _ body: (UnsafeBufferPointer<Int8>, UnsafeMutableBufferPointer<Int8>) -> Void) -> [Int8] {
    var output = [Int8](repeating: 0x55, count: outputCount)
    input.withUnsafeBufferPointer { x in output.withUnsafeMutableBufferPointer { y in body(x, y) } }
    return output
}

/// Largest absolute difference between two int8 arrays of equal length, in LSB.
func maxDifference(_ a: [Int8], _ b: [Int8]) -> Int {
    zip(a, b).map { abs(Int($0) - Int($1)) }.max() ?? 0
}

/// Like `run(_:outputCount:_:)` but also hands the kernel `scratchCount` elements of scratch filled with
/// garbage, so a kernel that read its scratch before writing it would show up.
func run(
    _ input: [Int8], outputCount: Int, scratchCount: Int,
    _ body: (UnsafeBufferPointer<Int8>, UnsafeMutableBufferPointer<Int8>, UnsafeMutableBufferPointer<Int8>) -> Void
) -> [Int8] {
    var scratch = [Int8](repeating: 0x5A, count: scratchCount)
    return scratch.withUnsafeMutableBufferPointer { s in run(input, outputCount: outputCount) { body($0, $1, s) } }
}
