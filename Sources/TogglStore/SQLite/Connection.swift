#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CSQLite
import Synchronization
import TogglKit

/// How many times syncs of a store napped waiting for another one's write lock.
final class LockWaits: Sendable {
    private let naps = Atomic<Int>(0)
    init() {}
    func count() { naps.add(1, ordering: .relaxed) }
    var total: Int { naps.load(ordering: .relaxed) }
}

/// What the busy handler of `beginImmediate` reads.
private final class LockWait {
    let control: CallControl
    let deadline: ContinuousClock.Instant
    let waits: LockWaits
    init(control: CallControl, deadline: ContinuousClock.Instant, waits: LockWaits) {
        self.control = control
        self.deadline = deadline
        self.waits = waits
    }
}

/// One SQLite connection and the file it belongs to. Not thread-safe: `TogglStore` gives each
/// connection its own lock.
///
/// Every failure is a `TogglError` with code `.store` whose message names the file and the
/// cause, as SQLite words it.
final class Connection {
    let handle: OpaquePointer
    let path: String

    /// Opens `path` (`SQLITE_OPEN_*` flags); `uri` for `file:` names (the in-memory stores).
    init(path: String, displayPath: String, flags: Int32) throws(TogglError) {
        var db: OpaquePointer?
        let status = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK, let db else {
            let cause = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(status))
            sqlite3_close_v2(db)
            throw TogglError(.store, "\(displayPath): cannot open the store: \(cause)")
        }
        handle = db
        self.path = displayPath
        // Extended codes tell a full disk (SQLITE_FULL) from a read-only file (SQLITE_READONLY_*).
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// A `.store` error for the last failure on this connection, prefixed with what was being done.
    func error(_ doing: String, status: Int32? = nil) -> TogglError {
        let code = status ?? sqlite3_extended_errcode(handle)
        var cause = String(cString: sqlite3_errmsg(handle))
        if code & 0xFF == SQLITE_FULL { cause += " (the disk is full)" }
        if code & 0xFF == SQLITE_READONLY { cause += " (the file or its folder is read-only)" }
        if code & 0xFF == SQLITE_BUSY { cause += " (another process held the store past the busy timeout)" }
        return TogglError(.store, "\(path): \(doing): \(cause)")
    }

    /// Runs one or more statements that take no parameters and return no rows worth reading.
    func execute(_ sql: String, _ doing: String) throws(TogglError) {
        let status = sqlite3_exec(handle, sql, nil, nil, nil)
        guard status == SQLITE_OK else { throw error(doing, status: status) }
    }

    func prepare(_ sql: String) throws(TogglError) -> Statement {
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else { throw error("preparing a statement", status: status) }
        return Statement(statement, connection: self)
    }

    /// The integer a single-value query returns, nil for NULL or no row.
    func integer(_ sql: String) throws(TogglError) -> Int64? {
        let statement = try prepare(sql)
        guard try statement.step() else { return nil }
        return statement.int64OrNil(0)
    }

    var changes: Int { Int(sqlite3_changes64(handle)) }

    /// Rows inserted, updated or deleted on this connection since it opened.
    var totalChanges: Int64 { sqlite3_total_changes64(handle) }

    /// Milliseconds SQLite waits for another connection's lock before giving up with SQLITE_BUSY.
    func setBusyTimeout(milliseconds: Int32) {
        sqlite3_busy_timeout(handle, milliseconds)
    }

    /// `BEGIN IMMEDIATE`, waiting for another connection's write lock until `deadline`, or
    /// until `control` is cancelled (a `cancel()` must not wait out another process's sync).
    /// Every nap is counted in `waits` (tests see that a sync really waits).
    func beginImmediate(control: CallControl, deadline: ContinuousClock.Instant, waits: LockWaits) throws(TogglError) {
        let wait = LockWait(control: control, deadline: deadline, waits: waits)
        sqlite3_busy_handler(handle, { context, attempts in
            guard let context else { return 0 }
            let wait = Unmanaged<LockWait>.fromOpaque(context).takeUnretainedValue()
            guard !wait.control.isCancelled, ContinuousClock().now < wait.deadline else { return 0 }
            wait.waits.count()
            // Short naps at first: the other sync usually ends within a request's time.
            usleep(UInt32(min(20, 1 + attempts)) * 1_000)
            return 1
        }, Unmanaged.passUnretained(wait).toOpaque())
        defer { sqlite3_busy_timeout(handle, StoreFile.readBusyTimeoutMs) }
        let status = withExtendedLifetime(wait) { sqlite3_exec(handle, "BEGIN IMMEDIATE", nil, nil, nil) }
        guard status == SQLITE_OK else {
            if control.isCancelled { throw TogglError(.cancelled, "the sync was cancelled while it waited for another sync of the store") }
            throw error("waiting for the store's write lock (another sync held it)", status: status)
        }
    }

    var isReadOnly: Bool { sqlite3_db_readonly(handle, "main") == 1 }
    var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }
}
