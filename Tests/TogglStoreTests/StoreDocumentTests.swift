import Testing
import TogglKit
@testable import TogglStore

/// A whole read of workspaces, clients, projects, tags or tasks comes from the collection's
/// ready document, which every write of its rows keeps equal to them.
@Suite struct StoreDocumentTests {
    private let projects = #"[{"id":3,"name":"c","active":false},{"id":1,"name":"a"},{"id":2,"name":"b"}]"#
    private let projectsRead = #"[{"id":1,"name":"a"},{"id":2,"name":"b"},{"id":3,"name":"c","active":false}]"#

    @Test func aWholeReadIsTheDocumentAndTheDocumentIsTheRows() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/documents.db"
        let store = try TogglStore(path: path)
        try store.writeForTest(.projects, rows: projects)
        #expect(try sqliteText(path, "SELECT json FROM documents WHERE id = 3") == projectsRead)
        #expect(try store.json(.projects) == Array(projectsRead.utf8))

        // The read is the document's bytes: changed behind the store's back, the read shows it,
        // while a filtered read still walks the rows.
        try sqliteExecute(path, #"UPDATE documents SET json = '["document"]' WHERE id = 3"#)
        #expect(try store.json(.projects) == Array(#"["document"]"#.utf8))
        #expect(try store.json(.projects, activeOnly: true) == Array(#"[{"id":1,"name":"a"},{"id":2,"name":"b"}]"#.utf8))

        // A write that changes rows rebuilds it; time entries and the user keep none.
        try store.writeForTest(.projects, rows: #"[{"id":1,"name":"a2"},{"id":4,"name":"d"}]"#)
        #expect(try store.json(.projects) == Array(#"[{"id":1,"name":"a2"},{"id":4,"name":"d"}]"#.utf8))
        try store.writeForTest(.timeEntries, rows: #"[{"id":9,"description":"x"}]"#)
        #expect(try sqliteInteger(path, "SELECT count(*) FROM documents") == 1)
        #expect(try store.json(.timeEntries) == Array(#"[{"id":9,"description":"x"}]"#.utf8))
    }

    @Test func aWriteThatChangesNothingKeepsTheDocumentAndOneWithoutItBuildsIt() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/unchanged.db"
        let store = try TogglStore(path: path)
        try store.writeForTest(.tags, rows: #"[{"id":5,"name":"t"}]"#)
        let before = try sqliteInteger(path, "SELECT rowid FROM documents WHERE id = 4")
        try sqliteExecute(path, #"UPDATE documents SET json = '["kept"]' WHERE id = 4"#)
        try store.writeForTest(.tags, rows: #"[{"id":5,"name":"t"}]"#)
        #expect(try store.json(.tags) == Array(#"["kept"]"#.utf8), "the same rows: nothing written")
        #expect(try sqliteInteger(path, "SELECT rowid FROM documents WHERE id = 4") == before)

        try sqliteExecute(path, "DELETE FROM documents")
        #expect(try store.json(.tags) == Array(#"[{"id":5,"name":"t"}]"#.utf8), "no document: read from the rows")
        try store.writeForTest(.tags, rows: #"[{"id":5,"name":"t"}]"#)
        #expect(try sqliteText(path, "SELECT json FROM documents WHERE id = 4") == #"[{"id":5,"name":"t"}]"#)
    }

    /// An incremental refresh brings back the items changed within its watermark's margin:
    /// those stored as they are are counted, not written, and leave the document alone.
    @Test func anIncrementalRefreshWritesOnlyWhatChanged() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/apply.db"
        let store = try TogglStore(path: path)
        try store.writeForTest(.clients, rows: #"[{"id":1,"name":"a"},{"id":2,"name":"b"}]"#)
        try sqliteExecute(path, #"UPDATE documents SET json = '["kept"]' WHERE id = 2"#)
        let same = try store.applyForTest(.clients, rows: #"[{"id":2,"name":"b"}]"#)
        #expect(same.upserted == 1, "received and stored as it is: counted")
        #expect(try store.json(.clients) == Array(#"["kept"]"#.utf8), "nothing written")

        let changed = try store.applyForTest(.clients, rows: #"[{"id":2,"name":"b2"},{"id":3,"name":"c"},{"id":1,"deleted_at":"2024-12-01T00:00:00Z"}]"#)
        #expect(changed.upserted == 2 && changed.deleted == 1)
        #expect(try store.json(.clients) == Array(#"[{"id":2,"name":"b2"},{"id":3,"name":"c"}]"#.utf8))
    }

    /// A version-1 store (rows, no documents) is migrated, reads from its rows, and gains its
    /// documents as its collections are written again.
    @Test func aVersionOneStoreReadsItsRowsUntilItsNextWrite() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/v1.db"
        try sqliteExecute(path, "PRAGMA application_id = \(Schema.applicationID); " + Schema.migrations[0]
                          + #"INSERT INTO projects (id, active, json) VALUES (2, 1, '{"id":2}'), (1, 1, '{"id":1}'); "#
                          + "PRAGMA user_version = 1")
        let store = try TogglStore(path: path)
        #expect(try sqliteInteger(path, "PRAGMA user_version") == Schema.version)
        #expect(try sqliteInteger(path, "SELECT count(*) FROM documents") == 0)
        #expect(try store.json(.projects) == Array(#"[{"id":1},{"id":2}]"#.utf8))
        try store.writeForTest(.projects, rows: #"[{"id":1},{"id":2}]"#)
        #expect(try sqliteText(path, "SELECT json FROM documents WHERE id = 3") == #"[{"id":1},{"id":2}]"#)
    }
}
