/// The hub's database file is damaged or is not a SQLite database. The hub does not start over on its own:
/// the file is the plant's record, so it stops and names the file, and the operator restores the latest
/// backup (docs/operations.md, "Backups of the hub database").
public struct UnreadableDatabaseError: Error, Equatable, CustomStringConvertible {
    /// The database file.
    public var path: String
    /// SQLite's description of the damage.
    public var reason: String

    public var description: String {
        "hub database \(path) is unreadable (\(reason)); the hub does not start on it: restore the latest backup"
            + " (docs/operations.md, \"Backups of the hub database\") or move the file aside to start an empty database"
    }
}
