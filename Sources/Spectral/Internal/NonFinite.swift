/// Index of the first NaN or ±∞, or nil. A max over the exponent bits (all ones only for NaN/∞)
/// vectorizes, so the common all-finite case costs a few microseconds per 10 s clip.
func firstNonFiniteIndex(_ signal: UnsafeBufferPointer<Float>) -> Int? {
    guard let base = signal.baseAddress else { return nil }
    var largest: UInt32 = 0
    for i in 0..<signal.count { largest = max(largest, base[i].bitPattern & 0x7F80_0000) }
    guard largest == 0x7F80_0000 else { return nil }
    return signal.firstIndex { !$0.isFinite }
}
