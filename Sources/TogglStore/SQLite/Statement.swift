import CSQLite
import TogglKit

/// A prepared statement. Parameters are 1-based, columns 0-based, as in SQLite's C API.
final class Statement {
    private let handle: OpaquePointer
    private unowned let connection: Connection

    init(_ handle: OpaquePointer, connection: Connection) {
        self.handle = handle
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Ready for new parameters: the last run's rows and bindings are dropped.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: String?) {
        if let value { sqlite3_bind_text(handle, index, value, -1, toggl_sqlite_transient()) }
        else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, blob: [UInt8]) {
        blob.withUnsafeBytes { raw in
            _ = sqlite3_bind_blob(handle, index, raw.baseAddress, Int32(raw.count), toggl_sqlite_transient())
        }
    }

    /// Binds text that stays valid until the statement is reset (no copy: a 20 MB snapshot
    /// is written straight from the response body).
    func bind(_ index: Int32, borrowedText text: UnsafeBufferPointer<UInt8>) {
        _ = text.withMemoryRebound(to: CChar.self) { chars in
            sqlite3_bind_text64(handle, index, chars.baseAddress, UInt64(chars.count), toggl_sqlite_static(),
                                UInt8(SQLITE_UTF8))
        }
    }

    /// Steps once: true when a row is ready to be read, false when done.
    @discardableResult
    func step() throws(TogglError) -> Bool {
        let status = sqlite3_step(handle)
        switch status {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error("running a statement", status: status)
        }
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func int64OrNil(_ column: Int32) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }

    /// The column's bytes (text or blob), valid until the next step or reset.
    func bytes(_ column: Int32) -> UnsafeRawBufferPointer {
        let pointer = sqlite3_column_blob(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        return UnsafeRawBufferPointer(start: pointer, count: pointer == nil ? 0 : count)
    }

    func text(_ column: Int32) -> String? {
        guard sqlite3_column_type(handle, column) != SQLITE_NULL else { return nil }
        return String(decoding: bytes(column), as: UTF8.self)
    }
}
