import GRDB

extension HubStore {
    /// A notification route's delivery state: the last transition it delivered (or skipped), and its
    /// failed attempts since.
    public struct NotificationCursor: Sendable, Equatable, Codable {
        /// The route's name (a webhook's `name`, or `mqtt`).
        public var route: String
        /// Every transition up to this number is delivered or was filtered out.
        public var deliveredThrough: Int64
        /// Failed attempts at the next transition.
        public var attempts: Int
        /// The last failure's description, empty after a success.
        public var lastError: String
    }

    /// The route's cursor, created at the newest transition when the route is new (a route added to a
    /// running plant starts with what happens next, not the whole history).
    public func notificationCursor(route: String, nowMs: Int64) throws -> NotificationCursor {
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO notification_cursors (route, delivered_through, updated_ms)
                    VALUES (?, (SELECT COALESCE(MAX(transition_no), 0) FROM alarm_transitions), ?)
                    """, arguments: [route, nowMs])
            return try NotificationCursor.fetchOne(db, sql: "SELECT * FROM notification_cursors WHERE route = ?", arguments: [route])!
        }
    }

    /// Every route's cursor, by name.
    public func notificationCursors() throws -> [NotificationCursor] {
        try pool.read { db in
            try NotificationCursor.fetchAll(db, sql: "SELECT * FROM notification_cursors ORDER BY route")
        }
    }

    /// Moves the route's cursor forward to `transition` (never back) and clears its failures.
    public func advanceNotificationCursor(route: String, through transition: Int64, nowMs: Int64) throws {
        try pool.write { db in
            try db.execute(
                sql: """
                    UPDATE notification_cursors SET delivered_through = MAX(delivered_through, ?), attempts = 0, last_error = '',
                                                    updated_ms = ?
                    WHERE route = ?
                    """, arguments: [transition, nowMs, route])
        }
    }

    /// Records a failed attempt of the route's next transition.
    public func recordNotificationFailure(route: String, error: String, nowMs: Int64) throws {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE notification_cursors SET attempts = attempts + 1, last_error = ?, updated_ms = ? WHERE route = ?",
                arguments: [String(error.prefix(500)), nowMs, route])
        }
    }
}

extension HubStore.NotificationCursor: FetchableRecord {
    /// The record of a `notification_cursors` row.
    public init(row: Row) {
        self.init(route: row["route"], deliveredThrough: row["delivered_through"], attempts: row["attempts"], lastError: row["last_error"])
    }
}
