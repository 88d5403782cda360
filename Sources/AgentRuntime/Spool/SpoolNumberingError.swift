/// A hub's answer to a new spool that cannot be right: the highest number it holds is below its own
/// watermark, or so large that numbering on above it could exhaust the sequence space. Nothing changes;
/// the spool keeps waiting for a sound answer.
public struct SpoolNumberingError: Error, Equatable, CustomStringConvertible {
    /// Highest number a new spool accepts as held by the hub: half the hub's sequence range, so more than
    /// 4 × 10¹⁸ numbers remain above it.
    public static let maxHeld = UInt64(Int64.max / 2)

    /// The ack's contiguous watermark.
    public var hubWatermark: UInt64
    /// The ack's highest held sequence number.
    public var hubHeld: UInt64

    public var description: String {
        "implausible numbering from the hub: watermark \(hubWatermark), highest held \(hubHeld) (at most \(Self.maxHeld), not below the watermark)"
    }
}
