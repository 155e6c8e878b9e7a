import TogglKit

/// The store's layout and the migrations that bring older files up to it.
///
/// A file is a store when its `application_id` is `applicationID`; its layout version is its
/// `user_version`. `migrations[n]` takes a version-n store to version n+1, so a store of any
/// older version is brought up to `version` step by step, in one transaction.
enum Schema {
    /// "TglS": tells a libtoggl store from any other SQLite file.
    static let applicationID: Int64 = 0x5467_6C53

    static var version: Int64 { Int64(migrations.count) }

    static let migrations: [String] = [
        // 0 -> 1: the first layout. Version 0 is a file that carries the application id and
        // nothing else (a store whose creation never committed its tables).
        """
        CREATE TABLE account (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            user_id INTEGER NOT NULL,
            salt BLOB NOT NULL
        );
        CREATE TABLE credentials (digest BLOB PRIMARY KEY) WITHOUT ROWID;
        CREATE TABLE sync_state (
            collection TEXT PRIMARY KEY,
            watermark INTEGER,
            refreshed_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE quota_gate (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            remaining INTEGER,
            resets_at INTEGER,
            observed_at INTEGER NOT NULL
        );
        CREATE TABLE user (id INTEGER PRIMARY KEY, json TEXT NOT NULL);
        """ + StoreCollection.allCases.filter { $0 != .user }.map { collection in
            // Indexes cost a snapshot dearly (two on 36,000 time entries doubled its writes):
            // only the filter a read uses is indexed, `active` where TOGGL_STORE_ACTIVE means
            // something. Rows are read in id order, the primary key's.
            let activeIndex = collection.hasInactiveItems
                ? "CREATE INDEX \(collection.table)_active ON \(collection.table) (active, id);" : ""
            return """
            CREATE TABLE \(collection.table) (
                id INTEGER PRIMARY KEY,
                workspace_id INTEGER,
                active INTEGER NOT NULL,
                at TEXT,
                json TEXT NOT NULL
            );
            \(activeIndex)
            """
        }.joined(separator: "\n"),
        // 1 -> 2: each collection's whole read kept ready as one JSON document (see
        // StoreTables.json). A store migrated to it reads from rows until a sync writes the
        // collection again.
        "CREATE TABLE documents (id INTEGER PRIMARY KEY, json BLOB NOT NULL);",
    ]
}
