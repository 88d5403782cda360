import GRDB

/// The database refusing a write for a reason outside the request: a full disk, a read-only file system, an
/// I/O error. The HTTP API answers these 503 with the reason (nothing was changed; retry once the disk is
/// fixed), not an unexplained 500; ingest holds its round and retries (``IngestHealth``).
public enum StorageUnavailable {
    /// SQLite's primary result codes for such refusals.
    static let codes: [ResultCode] = [.SQLITE_FULL, .SQLITE_READONLY, .SQLITE_IOERR]

    /// The database's message when `error` is such a refusal, else nil.
    public static func reason(of error: any Error) -> String? {
        guard let error = error as? DatabaseError, codes.contains(error.resultCode.primaryResultCode) else { return nil }
        return error.message ?? "\(error.resultCode)"
    }
}
