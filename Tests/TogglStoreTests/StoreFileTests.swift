#if canImport(Glibc)
import Glibc
#endif
import CSQLite
import Testing
import TogglKit
@testable import TogglStore

/// Opening: what is a store, what is refused (untouched), and how older stores are brought up.
@Suite struct StoreFileTests {
    @Test func aNewFileIsCreatedForItsOwnerOnly() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/new.db"
        _ = try TogglStore(path: path)
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(try sqliteInteger(path, "PRAGMA application_id") == Schema.applicationID)
        #expect(try sqliteInteger(path, "PRAGMA user_version") == Schema.version)
        #expect(try sqliteText(path, "PRAGMA journal_mode") == "wal")
    }

    @Test func anEmptyStoreReadsAsNothingSynced() throws {
        let store = try TogglStore()
        #expect(try store.json(.user) == Array("null".utf8))
        for collection in StoreCollection.allCases where collection != .user {
            #expect(try store.json(collection) == Array("[]".utf8))
            #expect(try store.age(of: collection) == nil)
        }
        #expect(try store.user() == nil)
        #expect(try store.projects().isEmpty)
        let quota = try store.quota()
        #expect(quota.remaining == nil && quota.resetsInSeconds == nil)
    }

    @Test func inMemoryStoresAreSeparate() throws {
        let first = try TogglStore(), second = try TogglStore(path: ":memory:")
        #expect(first.path == nil && second.path == nil)
        try first.writeForTest(.projects, rows: #"[{"id":1,"name":"a"}]"#)
        #expect(try first.json(.projects) == Array(#"[{"id":1,"name":"a"}]"#.utf8))
        #expect(try second.json(.projects) == Array("[]".utf8))
    }

    @Test func aFileThatIsNotAStoreIsRefusedUntouched() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/notes.txt"
        let text = Array(String(repeating: "not a database\n", count: 300).utf8)
        try folder.write(path, text)
        let error = try #require(throws: TogglError.self) { try TogglStore(path: path) }
        #expect(error.code == .store)
        #expect(error.message.contains(path))
        #expect(error.message.contains("not a libtoggl store"))
        #expect(try folder.read(path) == text)
        #expect(!folder.exists(path + "-wal") && !folder.exists(path + "-shm"))
    }

    @Test func anotherSQLiteDatabaseIsRefusedUntouched() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/other.db"
        try sqliteExecute(path, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes VALUES (1, 'x')")
        let before = try folder.read(path)
        let error = try #require(throws: TogglError.self) { try TogglStore(path: path) }
        #expect(error.code == .store)
        #expect(error.message.contains("application_id 0"))
        #expect(try folder.read(path) == before)
    }

    @Test func aStoreOfANewerSchemaIsRefusedUntouched() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/newer.db"
        _ = try TogglStore(path: path)
        try sqliteExecute(path, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA user_version = 99; PRAGMA journal_mode = DELETE")
        let before = try folder.read(path)
        let error = try #require(throws: TogglError.self) { try TogglStore(path: path) }
        #expect(error.code == .store)
        #expect(error.message.contains("schema version 99"))
        #expect(try folder.read(path) == before)
    }

    /// Version 0 is a file with the application id and no tables: the first migration builds
    /// the layout, and the store then works.
    @Test func aVersionZeroStoreIsMigrated() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/v0.db"
        try sqliteExecute(path, "PRAGMA application_id = \(Schema.applicationID); CREATE TABLE leftover (x)")
        #expect(try sqliteInteger(path, "PRAGMA user_version") == 0)
        let store = try TogglStore(path: path)
        #expect(try sqliteInteger(path, "PRAGMA user_version") == Schema.version)
        try store.writeForTest(.tags, rows: #"[{"id":7,"name":"t"}]"#)
        #expect(try store.json(.tags) == Array(#"[{"id":7,"name":"t"}]"#.utf8))
    }

    /// A migration that fails (here: a version-0 file already holding a table of that name)
    /// rolls back: the file is as it was.
    @Test func aFailedMigrationLeavesTheFileAsItWas() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/v0-conflict.db"
        try sqliteExecute(path, "PRAGMA application_id = \(Schema.applicationID); CREATE TABLE projects (x); INSERT INTO projects VALUES (1)")
        let before = try folder.read(path)
        let error = try #require(throws: TogglError.self) { try TogglStore(path: path) }
        #expect(error.code == .store)
        #expect(error.message.contains("migrating the store from schema version 0"))
        #expect(try sqliteInteger(path, "PRAGMA user_version") == 0)
        #expect(try sqliteInteger(path, "SELECT count(*) FROM projects") == 1)
        #expect(try folder.read(path) == before)
    }

    /// Debian's SQLite takes "file:..." names as URIs; a store path is always a path.
    @Test func aRelativePathStartingWithFileIsAPath() throws {
        let folder = try TemporaryFolder()
        let previous = getcwd(nil, 0)
        defer { if let previous { chdir(previous); free(previous) } }
        #expect(chdir(folder.path) == 0)
        let store = try TogglStore(path: "file:x.store")
        try store.writeForTest(.tags, rows: #"[{"id":1}]"#)
        #expect(folder.exists(folder.path + "/file:x.store"))
        #expect(try TogglStore(path: "file:x.store").json(.tags) == Array(#"[{"id":1}]"#.utf8))
    }

    /// Numbers at the ends of Int64, from a caller's error or from the file, never trap.
    @Test func extremeQuotaNumbersSaturate() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/quota.db"
        let store = try TogglStore(path: path)
        let client = try TogglClient(apiToken: "t", baseURL: "http://127.0.0.1:9/api/v9")
        try store.recordQuota(of: client, after: TogglError(.quota, "spent", retryAfterSeconds: .max))
        #expect(try store.quota().remaining == 0)
        #expect(try store.quota().resetsInSeconds.map { $0 > 0 } == true)
        try store.recordQuota(of: client, after: TogglError(.quota, "spent", retryAfterSeconds: .min))
        #expect(try store.quota().resetsInSeconds == nil, "a negative retry-after is a reset already past")
        try sqliteExecute(path, "UPDATE quota_gate SET resets_at = -9223372036854775808")
        #expect(try TogglStore(path: path).quota().resetsInSeconds == nil)
        try sqliteExecute(path, "UPDATE quota_gate SET resets_at = 9223372036854775807")
        #expect(try TogglStore(path: path).quota().resetsInSeconds.map { $0 > 0 } == true)
    }

    @Test func badPathsAreInvalidArguments() throws {
        #expect(throws: TogglError(.invalidArgument, "the store path must be a non-empty path without NUL bytes")) {
            try TogglStore(path: "")
        }
        let error = try #require(throws: TogglError.self) { try TogglStore(path: "/nonexistent-folder/x/y.db") }
        #expect(error.code == .store)
        #expect(error.message.contains("/nonexistent-folder/x/y.db"))
    }
}
