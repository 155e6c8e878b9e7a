#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CSQLite
import TogglKit

/// The store's rows and bookkeeping, read and written on one connection. Callers hold the
/// connection's lock and, for writes, its transaction.
struct StoreTables {
    let connection: Connection

    struct SyncState {
        /// Server time (unix seconds) to ask `since` from; nil: fetch the collection whole.
        var watermark: Int64?
        /// Local time (unix seconds) of the refresh.
        var refreshedAt: Int64
    }

    struct Gate {
        var remaining: Int64?
        /// Local unix seconds.
        var resetsAt: Int64?
    }

    // MARK: bookkeeping

    func syncState() throws(TogglError) -> [StoreCollection: SyncState] {
        let statement = try connection.prepare("SELECT collection, watermark, refreshed_at FROM sync_state")
        var states: [StoreCollection: SyncState] = [:]
        while try statement.step() {
            guard let name = statement.text(0), let collection = StoreCollection(rawValue: name) else { continue }
            states[collection] = SyncState(watermark: statement.int64OrNil(1), refreshedAt: statement.int64(2))
        }
        return states
    }

    func setSyncState(_ collection: StoreCollection, _ state: SyncState) throws(TogglError) {
        let statement = try connection.prepare(
            "INSERT OR REPLACE INTO sync_state (collection, watermark, refreshed_at) VALUES (?, ?, ?)")
        statement.bind(1, collection.rawValue)
        statement.bind(2, state.watermark)
        statement.bind(3, state.refreshedAt)
        try statement.step()
    }

    func account() throws(TogglError) -> (userID: Int64, salt: [UInt8])? {
        let statement = try connection.prepare("SELECT user_id, salt FROM account WHERE id = 1")
        guard try statement.step() else { return nil }
        return (statement.int64(0), Array(statement.bytes(1)))
    }

    func setAccount(userID: Int64, salt: [UInt8]) throws(TogglError) {
        let statement = try connection.prepare("INSERT INTO account (id, user_id, salt) VALUES (1, ?, ?)")
        statement.bind(1, userID)
        statement.bind(2, blob: salt)
        try statement.step()
    }

    func knows(digest: [UInt8]) throws(TogglError) -> Bool {
        let statement = try connection.prepare("SELECT 1 FROM credentials WHERE digest = ?")
        statement.bind(1, blob: digest)
        return try statement.step()
    }

    func remember(digest: [UInt8]) throws(TogglError) {
        let statement = try connection.prepare("INSERT OR IGNORE INTO credentials (digest) VALUES (?)")
        statement.bind(1, blob: digest)
        try statement.step()
    }

    func gate() throws(TogglError) -> Gate? {
        let statement = try connection.prepare("SELECT remaining, resets_at FROM quota_gate WHERE id = 1")
        guard try statement.step() else { return nil }
        return Gate(remaining: statement.int64OrNil(0), resetsAt: statement.int64OrNil(1))
    }

    func setGate(_ gate: Gate, observedAt: Int64) throws(TogglError) {
        let statement = try connection.prepare(
            "INSERT OR REPLACE INTO quota_gate (id, remaining, resets_at, observed_at) VALUES (1, ?, ?, ?)")
        statement.bind(1, gate.remaining)
        statement.bind(2, gate.resetsAt)
        statement.bind(3, observedAt)
        try statement.step()
    }

    /// Keeps the quota as `client` last heard it, with the reset as an absolute local time, so
    /// that every process sees the same gate. Counted from now, not from a sync's start: a slow
    /// sync must not open the gate early. A spent quota whose reset nobody stated (a bare 402,
    /// `Remaining: 0` alone) closes the gate for the client's own default block.
    func recordQuota(of client: TogglClient, after error: TogglError?) throws(TogglError) {
        let wallNow = LocalClock.now()
        var gate = Gate(remaining: nil, resetsAt: nil)
        if let status = client.lastQuota {
            gate.remaining = status.remaining
            gate.resetsAt = status.secondsUntilReset().map { Self.later(wallNow, by: $0) }
        }
        if let error, error.code == .quota {
            gate.remaining = 0
            gate.resetsAt = Self.later(wallNow, by: error.retryAfterSeconds ?? QuotaTracker.defaultBlock)
        } else if let remaining = gate.remaining, remaining <= 0, gate.resetsAt == nil {
            gate.resetsAt = Self.later(wallNow, by: QuotaTracker.defaultBlock)
        }
        guard gate.remaining != nil || gate.resetsAt != nil else { return }
        try setGate(gate, observedAt: wallNow)
    }

    /// `time` plus `seconds`, saturating: a caller's TogglError may carry any retry-after.
    static func later(_ time: Int64, by seconds: Int64) -> Int64 {
        let (sum, overflow) = time.addingReportingOverflow(max(0, seconds))
        return overflow ? .max : sum
    }

    // MARK: rows

    /// Replaces the user row.
    func replaceUser(_ json: [UInt8], id: Int64) throws(TogglError) {
        try connection.execute("DELETE FROM user", "replacing the user")
        let statement = try connection.prepare("INSERT INTO user (id, json) VALUES (?, ?)")
        statement.bind(1, id)
        try json.withUnsafeBufferPointer { (buffer) throws(TogglError) in
            statement.bind(2, borrowedText: buffer)
            try statement.step()
        }
    }

    /// Makes `collection` hold exactly the live ones of `rows` (a repeated id: its last), and
    /// returns how many that is. Only what differs is written: a snapshot mostly finds the
    /// objects it already has, and rewriting 20 MB of them would cost 10x the download (and
    /// leave a WAL of that size).
    func replace(_ collection: StoreCollection, with rows: [StoreRow], from body: UnsafeBufferPointer<UInt8>) throws(TogglError) -> Int {
        let changesBefore = connection.totalChanges
        var latest: [Int64: Int] = [:]
        latest.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() { latest[row.id] = row.deleted ? nil : index }
        enum Stored { case absent, same, changed }
        var stored = [Stored](repeating: .absent, count: rows.count)
        var gone: [Int64] = []
        let select = try connection.prepare("SELECT id, json FROM \(collection.table)")
        while try select.step() {
            let id = select.int64(0)
            guard let index = latest[id] else { gone.append(id); continue }
            let old = select.bytes(1)
            let same = try rows[index].withJSON(in: body) { (json) throws(TogglError) -> Bool in Self.equal(json, old) }
            stored[index] = same ? .same : .changed
        }
        let delete = try connection.prepare("DELETE FROM \(collection.table) WHERE id = ?")
        for id in gone {
            delete.reset()
            delete.bind(1, id)
            try delete.step()
        }
        let insert = try connection.prepare(
            "INSERT INTO \(collection.table) (workspace_id, active, at, json, id) VALUES (?, ?, ?, ?, ?)")
        let update = try connection.prepare(
            "UPDATE \(collection.table) SET workspace_id = ?, active = ?, at = ?, json = ? WHERE id = ?")
        var count = 0
        for (index, row) in rows.enumerated() where latest[row.id] == index {
            count += 1
            guard stored[index] != .same else { continue }
            try write(row, with: stored[index] == .absent ? insert : update, from: body)
        }
        try refreshDocument(collection, rowsChanged: connection.totalChanges != changesBefore)
        return count
    }

    /// The same bytes (memcmp: the generic elementsEqual walked 20 MB a byte at a time, a fifth
    /// of a re-snapshot).
    private static func equal(_ json: UnsafeBufferPointer<UInt8>, _ stored: UnsafeRawBufferPointer) -> Bool {
        json.count == stored.count && (json.isEmpty || memcmp(json.baseAddress!, stored.baseAddress!, json.count) == 0)
    }

    /// Binds the row's columns in the order both `replace` statements take them, and runs it.
    private func write(_ row: StoreRow, with statement: Statement, from body: UnsafeBufferPointer<UInt8>) throws(TogglError) {
        statement.reset()
        statement.bind(1, row.workspaceID)
        statement.bind(2, row.active ? 1 : 0)
        statement.bind(3, row.at(in: body))
        statement.bind(5, row.id)
        try row.withJSON(in: body) { (json) throws(TogglError) in
            statement.bind(4, borrowedText: json)
            try statement.step()
        }
        statement.reset()
    }

    /// Upserts live rows and deletes the ones the server reported deleted. `upserted` counts the
    /// live rows received, written or found already stored as they are.
    func apply(_ rows: [StoreRow], to collection: StoreCollection,
               from body: UnsafeBufferPointer<UInt8>) throws(TogglError) -> (upserted: Int, deleted: Int) {
        let changesBefore = connection.totalChanges
        let upsert = try connection.prepare(
            "INSERT OR REPLACE INTO \(collection.table) (id, workspace_id, active, at, json) VALUES (?, ?, ?, ?, ?)")
        let delete = try connection.prepare("DELETE FROM \(collection.table) WHERE id = ?")
        let current = try connection.prepare("SELECT json FROM \(collection.table) WHERE id = ?")
        var upserted = 0
        var deleted = 0
        for row in rows {
            if row.deleted {
                delete.reset()
                delete.bind(1, row.id)
                try delete.step()
                deleted += connection.changes
                continue
            }
            // The watermark's margin brings items changed in its last minutes back on every
            // refresh: one stored as it is now is not written again (nor is the document).
            current.reset()
            current.bind(1, row.id)
            var unchanged = false
            if try current.step() {
                unchanged = try row.withJSON(in: body) { (json) throws(TogglError) -> Bool in Self.equal(json, current.bytes(0)) }
            }
            current.reset()
            upserted += 1
            if unchanged { continue }
            upsert.reset()
            upsert.bind(1, row.id)
            upsert.bind(2, row.workspaceID)
            upsert.bind(3, row.active ? 1 : 0)
            upsert.bind(4, row.at(in: body))
            try row.withJSON(in: body) { (json) throws(TogglError) in
                upsert.bind(5, borrowedText: json)
                try upsert.step()
            }
            upsert.reset()
        }
        try refreshDocument(collection, rowsChanged: connection.totalChanges != changesBefore)
        return (upserted, deleted)
    }

    /// The collection as one JSON document: an array ordered by id (the user: an object, or
    /// `null` before the first sync).
    ///
    /// A whole read of a collection with a ready document is one blob read: stepping SQLite
    /// through 6,000 project rows cost about nine times copying the same bytes out of one blob
    /// (SQLite copies every row's text into a buffer of its own before handing it over).
    /// `expectedBytes`: room to reserve up front for a read from rows (the size of the last
    /// such read), so that a 5 MB answer is not copied again each time the array grows.
    func json(_ collection: StoreCollection, activeOnly: Bool, expectedBytes: Int = 0) throws(TogglError) -> [UInt8] {
        if collection == .user {
            let statement = try connection.prepare("SELECT json FROM user LIMIT 1")
            return try statement.step() ? Array(statement.bytes(0)) : Array("null".utf8)
        }
        if !activeOnly, let id = collection.documentID {
            // One read transaction: the check that it exists and the document see the same file.
            let begins = !connection.inTransaction
            if begins { try connection.execute("BEGIN", "reading \(collection.rawValue)") }
            defer { if begins { try? connection.execute("COMMIT", "ending a read") } }
            if let document = try document(id, of: collection) { return document }
        }
        return try rowsJSON(collection, activeOnly: activeOnly, expectedBytes: expectedBytes)
    }

    /// The collection's ready document, nil when it has none (a store from before documents
    /// were kept, and not synced since).
    private func document(_ id: Int64, of collection: StoreCollection) throws(TogglError) -> [UInt8]? {
        guard try hasDocument(id) else { return nil }
        var blob: OpaquePointer?
        let opened = sqlite3_blob_open(connection.handle, "main", "documents", "json", id, 0, &blob)
        defer { sqlite3_blob_close(blob) }
        guard opened == SQLITE_OK, let blob else { throw connection.error("reading \(collection.rawValue)", status: opened) }
        let size = Int(sqlite3_blob_bytes(blob))
        var status = SQLITE_OK
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            status = size == 0 ? SQLITE_OK : sqlite3_blob_read(blob, buffer.baseAddress, Int32(size), 0)
            count = status == SQLITE_OK ? size : 0
        }
        guard status == SQLITE_OK else { throw connection.error("reading \(collection.rawValue)", status: status) }
        return bytes
    }

    private func hasDocument(_ id: Int64) throws(TogglError) -> Bool {
        let statement = try connection.prepare("SELECT 1 FROM documents WHERE id = ?")
        statement.bind(1, id)
        return try statement.step()
    }

    /// `json` read row by row.
    func rowsJSON(_ collection: StoreCollection, activeOnly: Bool, expectedBytes: Int = 0) throws(TogglError) -> [UInt8] {
        let statement = try connection.prepare(activeOnly ? collection.selectActive : collection.selectAll)
        var out: [UInt8] = []
        out.reserveCapacity(expectedBytes + expectedBytes / 8 + 2)
        out.append(UInt8(ascii: "["))
        while try statement.step() {
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: statement.bytes(0))
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    /// Rebuilds the collection's ready document from its rows when they changed in this write,
    /// or when it has none yet. Every write of a collection's rows ends with it, in the caller's
    /// transaction: rows and document are written both or neither.
    private func refreshDocument(_ collection: StoreCollection, rowsChanged: Bool) throws(TogglError) {
        guard let id = collection.documentID else { return }
        if !rowsChanged, try hasDocument(id) { return }
        let json = try rowsJSON(collection, activeOnly: false)
        guard json.count < Int(sqlite3_limit(connection.handle, SQLITE_LIMIT_LENGTH, -1)) else {
            // Larger than SQLite keeps in one value: the rows stay the only copy, read as such.
            let drop = try connection.prepare("DELETE FROM documents WHERE id = ?")
            drop.bind(1, id)
            try drop.step()
            return
        }
        let statement = try connection.prepare("INSERT OR REPLACE INTO documents (id, json) VALUES (?, ?)")
        statement.bind(1, id)
        statement.bind(2, blob: json)
        try statement.step()
    }
}
