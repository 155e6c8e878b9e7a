#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import TogglKit
@testable import TogglStore

/// The store against the sandbox: what each sync costs (counted by the sandbox) and what the
/// store then holds (compared with a fresh snapshot). The C and Python suites check the same
/// numbers through their surfaces.
@Suite struct StoreSyncTests {
    /// Requests the sandbox received during `body`.
    private func spent(_ tenant: Tenant, _ body: () throws -> Void) throws -> Int {
        let before = try tenant.requestCount()
        try body()
        return try tenant.requestCount() - before
    }

    /// Every collection of `store` as JSON text.
    private func contents(_ store: TogglStore) throws -> [StoreCollection: String] {
        var contents: [StoreCollection: String] = [:]
        for collection in StoreCollection.allCases {
            contents[collection] = String(decoding: try store.json(collection), as: UTF8.self)
        }
        return contents
    }

    @Test func theFirstSyncIsOneRequestAndReadsAreFree() throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        let store = try TogglStore()
        var report = SyncReport()
        let started = Int64(time(nil))
        #expect(try spent(tenant) { report = try store.sync(with: client) } == 1)
        #expect(try tenant.requestLines() == ["GET /me?with_related_data=true"])
        #expect(report.requests == 1 && report.snapshot)
        let manifest = try Sandbox.manifest()
        #expect(report.collections[.projects]?.upserted == manifest.projects)
        #expect(report.collections[.tasks]?.requested == false, "the snapshot body has no tasks")
        let beforeReads = try tenant.requestCount()
        #expect(try store.projects().count == manifest.projects)
        #expect(try store.projects(activeOnly: true).count == manifest.projectsActive)
        #expect(try store.clients().count == manifest.clients)
        #expect(try store.tags().count == manifest.tags)
        #expect(try store.workspaces().count == manifest.workspaces)
        #expect(try store.timeEntries().count == manifest.timeEntries)
        #expect(try store.user()?.fullname == "Sandbox User")
        #expect(try store.tasks().isEmpty)
        #expect(try tenant.requestCount() == beforeReads, "reads send nothing")
        for collection in [StoreCollection.user, .workspaces] {
            #expect(!String(decoding: try store.json(collection), as: UTF8.self).contains("api_token"))
        }
        let age = try #require(try store.age(of: .projects))
        #expect(age >= 0 && age <= Int64(time(nil)) - started + 1, "measured from the sync's start")
        #expect(try store.age(of: .tasks) == nil)
        #expect(try spent(tenant) { report = try store.sync(with: client, maxAge: 3_600) } == 0)
        #expect(report.requests == 0 && !report.snapshot)
    }

    @Test func tasksAddOneRequestWhenTheSnapshotHasNone() throws {
        let tenant = try Sandbox.tenant()
        let store = try TogglStore()
        var report = SyncReport()
        #expect(try spent(tenant) { report = try store.sync(with: try tenant.client(), options: .tasks) } == 2)
        #expect(report.requests == 2)
        #expect(try tenant.requestLines() == ["GET /me?with_related_data=true", "GET /me/tasks?include_not_active=true"])
        #expect(try store.tasks().count == (try Sandbox.manifest().tasks))
        #expect(try store.tasks(activeOnly: true).count == (try Sandbox.manifest().tasksActive))
    }

    /// After edits, archives and deletes, an incremental sync costs one request per collection
    /// and leaves the store equal to a fresh snapshot.
    @Test func anIncrementalSyncEqualsAFreshSnapshot() throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        let store = try TogglStore()
        try store.sync(with: client, options: .tasks)
        let project = try #require(try store.projects(activeOnly: true).first?.id)
        let archived = try #require(try store.projects(activeOnly: true).last?.id)
        let clientID = try #require(try store.clients().first?.id)
        let tag = try #require(try store.tags().first?.id)
        let task = try #require(try store.tasks(activeOnly: true).first?.id)
        try tenant.advanceClock(seconds: 5)
        try tenant.changes("""
            [{"op": "edit", "collection": "projects", "id": \(project), "fields": {"name": "Renamed"}},
             {"op": "archive", "collection": "projects", "id": \(archived)},
             {"op": "delete", "collection": "clients", "id": \(clientID)},
             {"op": "add", "collection": "tags", "count": 3},
             {"op": "delete", "collection": "tags", "id": \(tag)},
             {"op": "archive", "collection": "tasks", "id": \(task)}]
            """)
        var report = SyncReport()
        #expect(try spent(tenant) { report = try store.sync(with: client, options: [.tasks, .user]) } == 5)
        #expect(report.requests == 5 && !report.snapshot)
        #expect(report.collections[.clients]?.deleted == 1)
        #expect(report.collections[.tags]?.deleted == 1)
        #expect(report.collections[.tags]?.upserted == 3)
        #expect(report.collections[.projects]?.upserted == 2)
        #expect(report.collections[.workspaces]?.requested == false)
        let fresh = try TogglStore()
        try fresh.sync(with: client, options: .tasks)
        #expect(try contents(store) == (try contents(fresh)))
        #expect(try store.projects().first { $0.id == project }?.name == "Renamed")
        #expect(try store.projects(activeOnly: true).contains { $0.id == archived } == false)
        #expect(try store.projects().contains { $0.id == archived })
        #expect(try store.clients().contains { $0.id == clientID } == false)
        // Within the watermark's margin the same changes arrive again; the upserts absorb them.
        #expect(try spent(tenant) { report = try store.sync(with: client, options: [.tasks, .user]) } == 5)
        #expect(report.collections[.projects]?.upserted == 2)
        #expect(try contents(store) == (try contents(fresh)))
        #expect(try spent(tenant) { report = try store.sync(with: client, options: [.tasks, .user], maxAge: 3_600) } == 0)
    }

    /// After a PUT /me, one GET /me brings the user row up to date; nothing else is asked.
    @Test func refreshUserIsOneRequest() throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        let store = try TogglStore()
        var report = SyncReport()
        #expect(try spent(tenant) { report = try store.refreshUser(with: client) } == 1)
        #expect(report.snapshot, "an empty store takes a snapshot")
        _ = try client.updateMe(MeUpdate(fullname: "Renamed User"))
        #expect(try spent(tenant) { report = try store.refreshUser(with: client) } == 1)
        #expect(!report.snapshot && report.collections[.user]?.requested == true)
        #expect(try tenant.requestLines().last == "GET /me")
        #expect(try store.user()?.fullname == "Renamed User")
    }

    @Test func storeFileNamesFollowTheCredential() throws {
        let token = try TogglStore.fileName(for: .apiToken("secret-token"))
        #expect(token.hasPrefix("store-") && token.hasSuffix(".db") && token.count == 41)
        #expect(token == (try TogglStore.fileName(for: .apiToken("secret-token"))))
        #expect(token != (try TogglStore.fileName(for: .apiToken("secret-tokem"))))
        #expect(!token.contains("secret"))
    }

    @Test func aRefusedSinceFallsBackToASnapshot() throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        let store = try TogglStore()
        try store.sync(with: client)
        try tenant.config(#"{"since_max_age_s": 3600}"#)
        try tenant.advanceClock(seconds: 7_200)
        var report = SyncReport()
        #expect(try spent(tenant) { report = try store.sync(with: client) } == 2)
        #expect(report.snapshot && report.requests == 2)
        #expect(try tenant.requestLines().suffix(2).map { String($0.prefix { $0 != "?" }) } == ["GET /me/clients", "GET /me"])
        // The snapshot's watermark is recent: the next refresh is accepted.
        #expect(try spent(tenant) { report = try store.sync(with: client) } == 3)
        #expect(!report.snapshot)
    }
}
