#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import TogglKit
@testable import TogglStore

/// A sync that fails part-way keeps each collection whole (updated or as it was) and spends
/// nothing twice: a recorded 402 stops the next sync, in any store handle, before it sends.
@Suite struct StoreFaultTests {
    private func folder() throws -> String {
        var template = Array("/tmp/toggl-store-sync-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }) else {
            throw SandboxError("mkdtemp failed")
        }
        return String(cString: made)
    }

    private func snapshotted(_ tenant: Tenant, path: String? = nil) throws -> (TogglStore, TogglClient) {
        let client = try tenant.client()
        let store = try TogglStore(path: path)
        try store.sync(with: client)
        try tenant.advanceClock(seconds: 5)
        return (store, client)
    }

    private func everything(_ store: TogglStore) throws -> [String] {
        try StoreCollection.allCases.map { String(decoding: try store.json($0), as: UTF8.self) }
    }

    /// The quota runs out during a refresh: clients and projects keep their update, tags stay
    /// as they were, and a new handle on the file sends nothing until the reset. With the
    /// sandbox's quota, the answer to projects says 0 are left, so tags is refused before it is
    /// sent; with a 402 fault, tags is sent and refused by the server.
    @Test(arguments: [false, true])
    func aSpentQuotaPartWayIsRecordedAndStopsTheNextSyncBeforeItSends(serverRefuses: Bool) throws {
        let tenant = try Sandbox.tenant()
        let path = try folder() + "/store.db"
        let (store, client) = try snapshotted(tenant, path: path)
        let tagsBefore = try store.json(.tags)
        let projectID = try #require(try store.projects().first?.id)
        let tagID = try #require(try store.tags().first?.id)
        try tenant.changes("""
            [{"op": "edit", "collection": "projects", "id": \(projectID), "fields": {"name": "Kept"}},
             {"op": "edit", "collection": "tags", "id": \(tagID), "fields": {"name": "Never seen"}}]
            """)
        if serverRefuses {
            try tenant.faults(#"[{"path": "/me/tags", "status": 402, "message": "You have hit your hourly limit for API calls.", "headers": {"X-Toggl-Quota-Remaining": "0", "X-Toggl-Quota-Resets-In": "3500"}}]"#)
        } else {
            try tenant.config(#"{"quota_limit": 3}"#)
        }
        let error = try #require(throws: TogglError.self) { try store.sync(with: client) }
        #expect(error.code == .quota)
        #expect((error.retryAfterSeconds ?? 0) > 3_000)
        let lines = try tenant.requestLines()
        let sent = serverRefuses ? 4 : 3
        #expect(lines.count == sent, "the snapshot, clients, projects (and tags when the server refuses it): \(lines)")
        #expect(try store.projects().first { $0.id == projectID }?.name == "Kept")
        #expect(try store.json(.tags) == tagsBefore)
        let quota = try store.quota()
        #expect(quota.remaining == 0)
        #expect((quota.resetsInSeconds ?? 0) > 3_000)

        // Another handle (as another process would open it), another client: nothing is sent.
        let again = try TogglStore(path: path)
        let other = try tenant.client()
        let refused = try #require(throws: TogglError.self) { try again.sync(with: other) }
        #expect(refused.code == .quota)
        #expect(refused.message.contains("resets in"))
        #expect((refused.retryAfterSeconds ?? 0) > 3_000)
        #expect(try tenant.requestCount() == sent)
    }

    /// A 402 that does not say when the quota resets still closes the gate for every handle,
    /// for the client's default block (60 s).
    @Test func aBare402ClosesTheGateForItsDefaultBlock() throws {
        let tenant = try Sandbox.tenant()
        let path = try folder() + "/bare402.db"
        let (store, client) = try snapshotted(tenant, path: path)
        try tenant.faults(#"[{"path": "/me/clients", "status": 402, "body_kind": "empty"}]"#)
        let error = try #require(throws: TogglError.self) { try store.sync(with: client) }
        #expect(error.code == .quota)
        let quota = try store.quota()
        #expect(quota.remaining == 0)
        #expect((quota.resetsInSeconds ?? 0) > 50)
        let sent = try tenant.requestCount()
        let refused = try #require(throws: TogglError.self) { try TogglStore(path: path).sync(with: try tenant.client()) }
        #expect(refused.code == .quota)
        #expect(try tenant.requestCount() == sent)
    }

    /// A 402 met outside a sync (GET /me/organizations) is kept by `recordQuota`: the next
    /// sync, in any handle, sends nothing.
    @Test func aQuotaMetOutsideASyncIsRecorded() throws {
        let tenant = try Sandbox.tenant()
        let path = try folder() + "/outside.db"
        let (store, client) = try snapshotted(tenant, path: path)
        try tenant.config(#"{"quota_limit": 1}"#)
        let error = try #require(throws: TogglError.self) { _ = try client.organizations() }
        #expect(error.code == .quota)
        try store.recordQuota(of: client, after: error)
        let sent = try tenant.requestCount()
        let refused = try #require(throws: TogglError.self) { try TogglStore(path: path).sync(with: try tenant.client()) }
        #expect(refused.code == .quota)
        #expect(try tenant.requestCount() == sent)
    }

    @Test func aResetConnectionLeavesTheFailedCollectionAsItWas() throws {
        let tenant = try Sandbox.tenant()
        let (store, client) = try snapshotted(tenant)
        let projectsBefore = try store.json(.projects)
        let clientsAge = try store.age(of: .clients)
        try tenant.faults(#"[{"path": "/me/projects", "action": "reset", "times": -1}]"#)
        let clientID = try #require(try store.clients().first?.id)
        try tenant.changes(#"[{"op": "delete", "collection": "clients", "id": \#(clientID)}]"#)
        let error = try #require(throws: TogglError.self) { try store.sync(with: client) }
        #expect(error.code == .network)
        #expect(try store.json(.projects) == projectsBefore)
        #expect(try store.clients().contains { $0.id == clientID } == false, "clients came first and were kept")
        #expect(clientsAge != nil)
    }

    /// A response that never comes ends the sync at the client's timeout: clients (answered
    /// before) keep their update, projects and tags stay as they were.
    @Test func aTimeoutPartWayKeepsEachCollectionWhole() throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client { $0.timeout = .milliseconds(500); $0.maxRetries = 0 }
        let store = try TogglStore()
        try store.sync(with: client)
        try tenant.advanceClock(seconds: 5)
        let projectsBefore = try store.json(.projects), tagsBefore = try store.json(.tags)
        let clientID = try #require(try store.clients().first?.id)
        let projectID = try #require(try store.projects().first?.id)
        try tenant.changes(#"[{"op": "delete", "collection": "clients", "id": \#(clientID)}, {"op": "edit", "collection": "projects", "id": \#(projectID), "fields": {"name": "Late"}}]"#)
        try tenant.faults(#"[{"path": "/me/projects", "action": "stall", "stall_ms": 5000}]"#)
        let error = try #require(throws: TogglError.self) { try store.sync(with: client) }
        #expect(error.code == .timeout)
        #expect(try store.clients().contains { $0.id == clientID } == false)
        #expect(try store.json(.projects) == projectsBefore)
        #expect(try store.json(.tags) == tagsBefore)
    }

    @Test func cancelEndsASyncAndKeepsTheStore() throws {
        let tenant = try Sandbox.tenant()
        let (store, client) = try snapshotted(tenant)
        let before = try everything(store)
        try tenant.faults(#"[{"path": "/me/projects", "action": "stall", "stall_ms": 10000}]"#)
        let requests = try tenant.requestCount()
        let sync = try BackgroundCall { try store.sync(with: client) }
        try tenant.waitForRequests(requests + 2)
        let cancelled = ContinuousClock().now
        client.cancel()
        let (error, ended) = sync.finish()
        #expect(error?.code == .cancelled)
        #expect(ended - cancelled < .milliseconds(100))
        #expect(try everything(store).count == before.count)
        // Clients (before the stall) were refreshed and kept; projects and tags are as they were.
        #expect(try store.json(.projects) == Array(before[StoreCollection.allCases.firstIndex(of: .projects) ?? 0].utf8))
        try store.sync(with: client)
    }

    @Test func aCancelledTaskEndsAnAsyncSync() async throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        let store = try TogglStore()
        try tenant.faults(#"[{"action": "stall", "stall_ms": 10000}]"#)
        let task = Task { try await store.sync(with: client) }
        // Generous: under TSan on a loaded machine the Task may wait long for a cooperative thread.
        try await tenant.waitForRequestsAsync(1, within: .seconds(60))
        task.cancel()
        do {
            _ = try await task.value
            Issue.record("the sync was not cancelled")
        } catch {
            #expect((error as? TogglError)?.code == .cancelled)
        }
        #expect(try store.json(.user) == Array("null".utf8))
        let report = try await store.sync(with: client)
        #expect(report.requests == 1)
    }

    /// A second credential of the same account spends one GET /me, once; afterwards the store
    /// knows it.
    @Test func anotherCredentialOfTheAccountIsIdentifiedOnce() throws {
        let tenant = try Sandbox.tenant()
        try tenant.config(#"{"extra_tokens": ["second-token-of-the-same-user"]}"#)
        let store = try TogglStore()
        try store.sync(with: try tenant.client())
        var configuration = TogglConfiguration(authentication: .apiToken("second-token-of-the-same-user"), baseURL: tenant.baseURL)
        configuration.maxRetries = 0
        let second = try TogglClient(configuration: configuration)
        let before = try tenant.requestCount()
        let report = try store.sync(with: second)
        #expect(report.requests == 4, "GET /me to identify, then clients, projects, tags")
        #expect(try tenant.requestLines().dropFirst(before).first == "GET /me")
        #expect(try store.sync(with: second).requests == 3)
        let password = try TogglClient(configuration: TogglConfiguration(
            authentication: .emailPassword(email: Sandbox.email, password: Sandbox.password), baseURL: tenant.baseURL))
        #expect(try store.sync(with: password, options: .user).requests == 4, "GET /me identifies and refreshes the user")
    }

    /// Two handles on one file are two connections, as two processes would have: the second
    /// sync waits for the first one's write lock, then finds the data fresh and sends nothing.
    @Test func aSecondSyncWaitsForTheFirstAndFindsItFresh() throws {
        let tenant = try Sandbox.tenant()
        let path = try folder() + "/shared.db"
        let first = try TogglStore(path: path), second = try TogglStore(path: path)
        try tenant.faults(#"[{"action": "stall", "stall_ms": 300}]"#)
        let client = try tenant.client()
        let firstSync = try BackgroundCall { try first.sync(with: client, maxAge: 3_600) }
        try tenant.waitForRequests(1)
        let report = try second.sync(with: try tenant.client(), maxAge: 3_600)
        #expect(firstSync.finish().error == nil)
        #expect(second.lockWaits.total > 0, "the second sync waited for the first")
        #expect(report.requests == 0)
        #expect(try tenant.requestCount() == 1)
        #expect(try second.projects().count == (try Sandbox.manifest().projects))
    }

    @Test func cancelReachesASyncWaitingForAnotherOnesLock() throws {
        let tenant = try Sandbox.tenant()
        let path = try folder() + "/locked.db"
        let first = try TogglStore(path: path), second = try TogglStore(path: path)
        try tenant.faults(#"[{"action": "stall", "stall_ms": 10000}]"#)
        let holder = try tenant.client(), waiter = try tenant.client()
        let firstSync = try BackgroundCall { try first.sync(with: holder) }
        try tenant.waitForRequests(1)
        let secondSync = try BackgroundCall { try second.sync(with: waiter) }
        let deadline = ContinuousClock().now + .seconds(10)
        while second.lockWaits.total == 0 {
            guard ContinuousClock().now < deadline else { throw SandboxError("the second sync never waited for the lock") }
            var pause = timespec(tv_sec: 0, tv_nsec: 1_000_000)
            nanosleep(&pause, nil)
        }
        let cancelled = ContinuousClock().now
        waiter.cancel()
        let (error, ended) = secondSync.finish()
        #expect(error?.code == .cancelled)
        #expect(ended - cancelled < .milliseconds(100))
        holder.cancel()
        #expect(firstSync.finish().error?.code == .cancelled)
        #expect(try tenant.requestCount() == 1)
    }

    /// Another account's client spends its one identifying `GET /me` and is refused before
    /// anything is written. (Every sandbox credential is the same user: a canned answer plays
    /// the other account.)
    @Test func anotherAccountsClientIsRefusedWithNothingWritten() throws {
        let tenant = try Sandbox.tenant()
        try tenant.config(#"{"extra_tokens": ["token-of-someone-else"]}"#)
        let path = try folder() + "/mine.db"
        let store = try TogglStore(path: path)
        try store.sync(with: try tenant.client())
        let before = try everything(store)
        let stranger = try TogglClient(configuration: TogglConfiguration(authentication: .apiToken("token-of-someone-else"),
                                                                         baseURL: tenant.baseURL))
        let sent = try tenant.requestCount()
        for options in [SyncOptions(), .full] {
            try tenant.faults(#"[{"path": "/me", "status": 200, "content_type": "application/json", "body": "{\"id\": 77, \"fullname\": \"Someone Else\", \"projects\": []}"}]"#)
            let error = try #require(throws: TogglError.self) { try store.sync(with: stranger, options: options) }
            #expect(error.code == .store)
            #expect(error.message.contains("another Toggl account"))
            #expect(error.message.contains(path))
        }
        // A refresh asks GET /me first; a snapshot learns the account from its own answer.
        #expect(try tenant.requestLines().dropFirst(sent) == ["GET /me", "GET /me?with_related_data=true"])
        #expect(try everything(TogglStore(path: path)) == before)
        #expect(try store.quota().remaining != 0)
    }

    @Test func badArgumentsSendNothing() throws {
        let tenant = try Sandbox.tenant()
        let store = try TogglStore()
        let client = try tenant.client()
        #expect(throws: TogglError.self) { try store.sync(with: client, maxAge: -1) }
        #expect(throws: TogglError.self) { try store.sync(with: client, options: SyncOptions(rawValue: 8)) }
        #expect(try tenant.requestCount() == 0)
    }
}
