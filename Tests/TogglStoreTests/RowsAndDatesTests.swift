import Testing
@testable import TogglKit
@testable import TogglStore

/// What a sync writes: the rows of a body (verbatim, minus `api_token`) and the server's clock.
@Suite struct RowsAndDatesTests {
    @Test(arguments: [
        ("Tue, 01 Dec 2026 02:30:00 GMT", Int64(1_796_092_200)),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0),
        ("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_777),
        ("Thu, 29 Feb 2024 23:59:59 GMT", 1_709_251_199),
    ])
    func imfFixdates(_ text: String, _ seconds: Int64) {
        #expect(HTTPDate.seconds(text) == seconds)
    }

    @Test(arguments: ["", "yesterday", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
                      "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
                      "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 8:49:37 GMT", "Sun, 06 Nov 1969 08:49:37 GMT"])
    func anythingElseIsNoDate(_ text: String) {
        #expect(HTTPDate.seconds(text) == nil)
    }

    private func rows(_ json: String) throws -> (rows: [StoreRow], stored: [String], ats: [String?]) {
        let body = Array(json.utf8)
        return try body.withUnsafeBufferPointer { buffer in
            let rows = try StoreRows.elements(of: buffer, collection: "projects")
            return (rows, rows.map { row in
                (try? row.withJSON(in: buffer) { String(decoding: $0, as: UTF8.self) }) ?? "?"
            }, rows.map { $0.at(in: buffer) })
        }
    }

    @Test func objectsAreKeptByteForByteWithTheirColumns() throws {
        let (rows, stored, ats) = try rows(#"""
            [ {"id": 1, "workspace_id": 9, "active": true, "at": "2024-03-17T10:58:40+00:00", "new_key": [1, {"x": null}]} ,
              {"id":2,"active":false,"workspace_id":null,"at":"2024\u002d12"}, {"id":3,"archived":true,"server_deleted_at":null,"at":5},
              {"id":4,"server_deleted_at":"2024-12-01T00:00:00+00:00"}, {"id":5,"deleted_at":"2024-12-01T00:00:00Z"},
              {"\u0069d":6} ]
            """#)
        #expect(rows.map(\.id) == [1, 2, 3, 4, 5, 6])
        #expect(stored[0] == #"{"id": 1, "workspace_id": 9, "active": true, "at": "2024-03-17T10:58:40+00:00", "new_key": [1, {"x": null}]}"#)
        #expect(rows.map(\.workspaceID) == [9, nil, nil, nil, nil, nil])
        #expect(rows.map(\.active) == [true, false, false, true, true, true])
        #expect(rows.map(\.deleted) == [false, false, false, true, true, false])
        #expect(ats == ["2024-03-17T10:58:40+00:00", "2024-12", nil, nil, nil, nil], "escapes read, a number is no `at`")
        #expect(rows.allSatisfy { $0.rewritten == nil })
    }

    @Test func aRepeatedKeyCountsWithItsLastValue() throws {
        let (rows, _, _) = try rows(#"[{"id":1,"active":false,"active":true},{"id":2,"archived":true,"archived":false},{"id":3,"active":true,"active":false}]"#)
        #expect(rows.map(\.active) == [true, true, false])
    }

    @Test func everyApiTokenIsDropped() throws {
        let (rows, stored, _) = try rows(#"[{"api_token":"secret-1","id":1,"name":"w"},{"id":2,"api_token":"secret-2"},{"id":3,"nested":{"api_token":"kept"}}]"#)
        #expect(stored[0] == #"{"id":1,"name":"w"}"#)
        #expect(stored[1] == #"{"id":2}"#)
        #expect(stored[2] == #"{"id":3,"nested":{"api_token":"kept"}}"#, "only the object's own key is the credential")
        #expect(rows[0].rewritten != nil && rows[2].rewritten == nil)
    }

    @Test func theUserRowLosesItsListsAndToken() throws {
        let body = Array(#"{"id":42,"api_token":"secret","email":"a@b.c","projects":[{"id":1}],"tasks":null,"clients":[],"fullname":"A"}"#.utf8)
        let me = try body.withUnsafeBufferPointer { try StoreRows.me($0, listKeys: ["projects", "tasks", "clients"]) }
        #expect(me.userID == 42)
        #expect(String(decoding: me.user, as: UTF8.self) == #"{"id":42,"email":"a@b.c","fullname":"A"}"#)
        #expect(me.lists["projects"]?.map(\.id) == [1])
        #expect(me.lists["clients"]?.isEmpty == true)
        #expect(me.lists["tasks"] == nil, "a null list is not a list: the collection is left alone")
    }

    /// Each list is read where it stands, in the one walk over the body; a repeated key still
    /// counts with its last value only, as jansson keeps it.
    @Test func aRepeatedListKeyCountsWithItsLastValue() throws {
        let lists: Set<String> = ["projects", "tags", "clients"]
        let body = Array(#"{"projects":[1,"not a row"],"id":42,"tags":[{"id":5}],"projects":[{"id":2},{"id":3}],"tags":null,"clients":[{"id":9}],"clients":"kept"}"#.utf8)
        let me = try body.withUnsafeBufferPointer { try StoreRows.me($0, listKeys: lists) }
        #expect(me.lists["projects"]?.map(\.id) == [2, 3], "the earlier array, which has no rows, is replaced")
        #expect(me.lists["tags"] == nil, "a last null leaves the collection alone")
        #expect(me.lists["clients"] == nil)
        #expect(String(decoding: me.user, as: UTF8.self) == #"{"id":42,"clients":[{"id":9}],"clients":"kept"}"#,
                "a list key whose last value is not a list stays in the user row, every occurrence")

        let lastIsBad = Array(#"{"id":42,"projects":[{"id":2}],"projects":[{"id":3},7]}"#.utf8)
        #expect(throws: TogglError.self) { try lastIsBad.withUnsafeBufferPointer { try StoreRows.me($0, listKeys: lists) } }
    }

    @Test(arguments: [#"[{"name":"no id"}]"#, #"[{"id":"7"}]"#, #"[{"id":1.5}]"#, #"[1]"#, #"{"id":1}"#])
    func rowsWithoutAnIntegerIdAreRefused(_ json: String) throws {
        let body = Array(json.utf8)
        let id7 = body.withUnsafeBufferPointer { (try? StoreRows.elements(of: $0, collection: "projects"))?.first?.id }
        // A string holding an integer is the one form PageSummary also reads as an id.
        if json == #"[{"id":"7"}]"# { #expect(id7 == 7); return }
        #expect(throws: TogglError.self) {
            try body.withUnsafeBufferPointer { try StoreRows.elements(of: $0, collection: "projects") }
        }
    }

    @Test func credentialDigestsAreSaltedAndTellCredentialsApart() throws {
        let salt = [UInt8](repeating: 1, count: 16), other = [UInt8](repeating: 2, count: 16)
        let token = try CredentialDigest.digest(.apiToken("abc"), salt: salt)
        #expect(token.count == 32)
        #expect(token == (try CredentialDigest.digest(.apiToken("abc"), salt: salt)))
        #expect(token != (try CredentialDigest.digest(.apiToken("abc"), salt: other)))
        #expect(token != (try CredentialDigest.digest(.apiToken("abd"), salt: salt)))
        let email = try CredentialDigest.digest(.emailPassword(email: "A@B.c", password: "pw"), salt: salt)
        #expect(email == (try CredentialDigest.digest(.emailPassword(email: "a@b.C", password: "pw"), salt: salt)))
        #expect(email != (try CredentialDigest.digest(.emailPassword(email: "a@b.c", password: "pX"), salt: salt)))
        #expect(CredentialDigest.newSalt() != CredentialDigest.newSalt())
    }
}
