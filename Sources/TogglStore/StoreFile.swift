#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CSQLite
import TogglKit

/// Opening a store: recognise it before writing anything, then bring it to the current layout.
enum StoreFile {
    /// Readers wait this long for a lock (WAL readers rarely wait at all: only while a
    /// checkpoint or a recovery runs).
    static let readBusyTimeoutMs: Int32 = 5_000

    /// The connections of a store at `path` (nil or ":memory:" is a database of its own in
    /// memory, which then has one connection for reads and syncs).
    static func open(_ path: String?) throws(TogglError) -> (writer: Connection, reader: Connection?) {
        guard let path, path != ":memory:" else {
            let memory = try Connection(path: ":memory:", displayPath: ":memory:",
                                        flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            try prepare(memory)
            return (memory, nil)
        }
        guard !path.isEmpty, !path.utf8.contains(0) else {
            throw TogglError(.invalidArgument, "the store path must be a non-empty path without NUL bytes")
        }
        // Debian's SQLite reads names starting with "file:" as URIs: "./" keeps a relative
        // path a path (an absolute one starts with "/").
        let sqlitePath = path.hasPrefix("file:") ? "./" + path : path
        try createPrivately(path)
        let writer = try Connection(path: sqlitePath, displayPath: path, flags: SQLITE_OPEN_READWRITE)
        try prepare(writer)
        let reader = try Connection(path: sqlitePath, displayPath: path, flags: SQLITE_OPEN_READWRITE)
        reader.setBusyTimeout(milliseconds: readBusyTimeoutMs)
        try reader.execute("PRAGMA query_only = 1", "opening a reader")
        // Reads map the file instead of copying its pages through a 2 MB cache: reading 6,000
        // projects back is then a walk over mapped memory.
        try reader.execute("PRAGMA mmap_size = 268435456", "mapping the store")
        return (writer, reader)
    }

    /// A new store file is created readable by its owner only (0600): it holds the account's
    /// data. SQLite gives its -wal and -shm files the same mode. An existing file keeps its mode.
    private static func createPrivately(_ path: String) throws(TogglError) {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            close(fd)
            return
        }
        let error = errno
        guard error == EEXIST else {
            throw TogglError(.store, "\(path): cannot create the store: \(String(cString: strerror(error)))")
        }
    }

    /// Checks that the file is a store this version can use (reading only), then switches it
    /// to WAL and migrates it. Anything else is refused with the file untouched.
    private static func prepare(_ connection: Connection) throws(TogglError) {
        connection.setBusyTimeout(milliseconds: readBusyTimeoutMs)
        let path = connection.path
        let pages: Int64
        let applicationID: Int64
        let version: Int64
        do throws(TogglError) {
            pages = try connection.integer("PRAGMA page_count") ?? 0
            applicationID = try connection.integer("PRAGMA application_id") ?? 0
            version = try connection.integer("PRAGMA user_version") ?? 0
        } catch {
            let cause = String(cString: sqlite3_errmsg(connection.handle))
            guard sqlite3_errcode(connection.handle) == SQLITE_NOTADB else {
                throw TogglError(.store, "\(path): cannot read the store: \(cause)\(connection.isReadOnly ? " (the file or its folder is read-only)" : ""); left untouched")
            }
            throw TogglError(.store, "\(path): not a libtoggl store (\(cause)); left untouched")
        }
        if pages > 0, applicationID != Schema.applicationID {
            throw TogglError(.store, "\(path): not a libtoggl store (an SQLite file with application_id \(applicationID)); left untouched")
        }
        if version > Schema.version {
            throw TogglError(.store, "\(path): the store has schema version \(version), newer than this libtoggl reads (\(Schema.version)); left untouched")
        }
        if connection.isReadOnly {
            throw TogglError(.store, "\(path): the store is read-only (the file or its folder); a store must be writable; left untouched")
        }
        // Migrated before the switch to WAL, so that a migration that fails leaves the file
        // byte for byte as it was.
        // 16 KiB pages: a read walks a quarter as many pages (reading 6,000 projects back:
        // 2.6 -> 2.3 ms), and the file is smaller. Only a new file can take it.
        if pages == 0 { try connection.execute("PRAGMA page_size = 16384", "sizing pages") }
        if version < Schema.version || pages == 0 { try migrate(connection) }
        try connection.execute("PRAGMA journal_mode = WAL", "switching to WAL")
        // WAL with NORMAL: a commit survives the process being killed; only a power cut may
        // lose the last commits, never consistency.
        try connection.execute("PRAGMA synchronous = NORMAL", "setting synchronous")
        // After a checkpoint the WAL is cut back to this size: a 20 MB snapshot must not leave a
        // 20 MB -wal file beside the store for good.
        try connection.execute("PRAGMA journal_size_limit = 4194304", "limiting the WAL")
    }

    /// Brings the layout to `Schema.version` in one transaction; another process may have done
    /// it meanwhile, so the version is read again under the write lock.
    private static func migrate(_ connection: Connection) throws(TogglError) {
        try connection.execute("BEGIN IMMEDIATE", "starting a migration")
        do throws(TogglError) {
            let version = try connection.integer("PRAGMA user_version") ?? 0
            guard version < Schema.version else {
                try connection.execute("COMMIT", "ending a migration")
                return
            }
            for step in Int(version)..<Schema.migrations.count {
                try connection.execute(Schema.migrations[step], "migrating the store from schema version \(step)")
            }
            try connection.execute("PRAGMA application_id = \(Schema.applicationID); PRAGMA user_version = \(Schema.version)",
                                   "recording the schema version")
            try connection.execute("COMMIT", "committing a migration")
        } catch {
            _ = sqlite3_exec(connection.handle, "ROLLBACK", nil, nil, nil)
            throw error
        }
    }
}
