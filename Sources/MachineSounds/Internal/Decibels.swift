import Foundation

/// The linear amplitude factor of `db` decibels (20·log10 convention).
@inline(__always)
func amplitude(decibels db: Double) -> Double {
    pow(10, db / 20)
}

/// 2π, for phase accumulators in radians.
let twoPi = 2 * Double.pi
