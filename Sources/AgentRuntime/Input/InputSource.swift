import AudioIO

/// Where an asset's audio comes from.
///
/// `Sendable`: a value type.
public enum InputSource: Sendable, Equatable {
    /// One audio file (any format libsndfile reads), read once.
    case file(String)
    /// Every regular, non-hidden file in a directory, in sorted name order; with `loop`, replayed forever.
    case directory(String, loop: Bool)
    /// Standard input carrying WAV/FLAC, or headerless PCM in the `raw` layout.
    case standardInput(raw: RawPCMFormat?)
    /// A named pipe (FIFO) carrying WAV/FLAC, or headerless PCM in the `raw` layout; read until the writer closes
    /// it, or with `reopen`, opened again for the next writer (a capture process that restarts).
    case pipe(String, raw: RawPCMFormat?, reopen: Bool = false)
}
