import Testing
@testable import TogglKit

/// Every endpoint and every documented parameter against the sandbox, asserting what went over the wire.
@Suite struct EndpointTests {
    let since = TogglTimestamp(secondsSinceEpoch: 1_700_000_000)

    @Test func meWithoutAndWithRelatedData() throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        let user = try client.me()
        #expect(user.fullname == "Sandbox User")
        #expect(user.email == Sandbox.email)
        #expect(user.projects == nil)
        let related = try client.me(withRelatedData: true)
        let manifest = try Sandbox.manifest()
        #expect(related.projects?.count == manifest.projects)
        #expect(related.workspaces?.count == manifest.workspaces)
        #expect(try tenant.requestLines() == ["GET /me", "GET /me?with_related_data=true"])
    }

    @Test func meRawKeepsTheServersBytes() throws {
        let tenant = try Sandbox.tenant()
        let raw = try tenant.client().sendRaw(.me())
        #expect(raw.status == 200)
        #expect(raw.text.hasPrefix("{\"id\":2166261,"))
        #expect(raw.text.contains("\"toggl_accounts_id\""))
    }

    @Test func logged() throws {
        let tenant = try Sandbox.tenant()
        try tenant.client().logged()
        #expect(try tenant.requestLines() == ["GET /me/logged"])
    }

    @Test func clientsAndSince() throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        let all = try client.clients()
        let changed = try client.clients(since: TogglTimestamp(secondsSinceEpoch: 1))
        let manifest = try Sandbox.manifest(), sinceOne = try Sandbox.manifest(since: 1)
        #expect(all.count == manifest.clients)
        #expect(changed.count == sinceOne.clients, "since returns deleted clients too")
        #expect(changed.count > all.count)
        _ = try client.clients(since: since)
        #expect(try tenant.requestLines() == ["GET /me/clients", "GET /me/clients?since=1", "GET /me/clients?since=1700000000"])
    }

    @Test func features() throws {
        let tenant = try Sandbox.tenant()
        let features = try tenant.client().features()
        let manifest = try Sandbox.manifest()
        #expect(features.count == manifest.workspaces, "one entry per workspace")
        #expect(features.allSatisfy { ($0.features?.count ?? 0) > 0 })
        #expect(try tenant.requestLines() == ["GET /me/features"])
    }

    @Test func location() throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        #expect(try client.location()?.countryCode == "EE")
        try tenant.config(#"{"location_empty": true}"#)
        #expect(try client.location() == nil)
        #expect(try client.sendRaw(.location()).text == "null")
        #expect(try tenant.requestLines() == ["GET /me/location", "GET /me/location", "GET /me/location"])
    }

    @Test func organizations() throws {
        let tenant = try Sandbox.tenant()
        let organizations = try tenant.client().organizations()
        let manifest = try Sandbox.manifest()
        #expect(organizations.count == manifest.organizations)
        #expect(organizations.first?.trialInfo != nil)
        #expect(try tenant.requestLines() == ["GET /me/organizations"])
    }

    @Test func projectsAndEveryParameter() throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        let active = try client.projects()
        let all = try client.projects(includeArchived: true)
        let manifest = try Sandbox.manifest()
        #expect(all.count == manifest.projects)
        #expect(active.count == manifest.projectsActive)
        #expect(active.allSatisfy { $0.active == true })
        _ = try client.projects(includeArchived: true, since: since)
        _ = try client.projects(since: since)
        #expect(try tenant.requestLines() == [
            "GET /me/projects", "GET /me/projects?include_archived=true",
            "GET /me/projects?include_archived=true&since=1700000000", "GET /me/projects?since=1700000000",
        ])
    }

    @Test func projectsPageParameters() throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        let first = try client.projectsPage(perPage: 5)
        #expect(first.items.count == 5)
        let ids = first.items.compactMap(\.id)
        #expect(ids == ids.sorted())
        let start = try #require(ids.last) + 1
        #expect(first.next == start, "the one-page call returns the core's cursor")
        let next = try client.projectsPage(startProjectID: start, since: since, perPage: 7)
        #expect(next.items.allSatisfy { ($0.id ?? 0) >= start })
        _ = try client.projectsPage()
        #expect(try tenant.requestLines() == [
            "GET /me/projects/paginated?per_page=5",
            "GET /me/projects/paginated?start_project_id=\(start)&since=1700000000&per_page=7",
            "GET /me/projects/paginated",
        ])
    }

    @Test func tagsAndSince() throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        let manifest = try Sandbox.manifest()
        #expect(try client.tags().count == manifest.tags)
        let changed = try client.tags(since: TogglTimestamp(secondsSinceEpoch: 1))
        #expect(changed.contains { $0.deletedAt != nil })
        #expect(try tenant.requestLines() == ["GET /me/tags", "GET /me/tags?since=1"])
    }

    @Test func tasksAndEveryParameter() throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        let active = try client.tasks()
        let all = try client.tasks(includeNotActive: true)
        let manifest = try Sandbox.manifest()
        #expect(all.count == manifest.tasks)
        #expect(active.count == manifest.tasksActive)
        #expect(active.allSatisfy { $0.active == true })
        let withMeta = try client.tasks(meta: true, perPage: 3)
        #expect(withMeta.count == 3)
        #expect(withMeta.allSatisfy { $0.projectName != nil })
        let page = try client.tasks(meta: true, since: since, includeNotActive: true, offset: 10, perPage: 20)
        #expect(page.count <= 20)
        #expect(try tenant.requestLines() == [
            "GET /me/tasks", "GET /me/tasks?include_not_active=true", "GET /me/tasks?meta=true&per_page=3",
            "GET /me/tasks?meta=true&since=1700000000&include_not_active=true&offset=10&per_page=20",
        ])
    }

    @Test func quotaEndpoint() throws {
        let tenant = try Sandbox.tenant()
        let entries = try tenant.client().quota()
        #expect(entries.count == 2)
        #expect(entries.contains { $0.organizationID == nil })
        #expect(entries.allSatisfy { ($0.remaining ?? -1) >= 0 && ($0.total ?? 0) > 0 })
        #expect(try tenant.requestLines() == ["GET /me/quota"])
    }

    @Test func invalidParametersSendNothing() throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        let projects = #expect(throws: TogglError.self) { try client.projectsPage(perPage: -1) }
        #expect(projects?.code == .invalidArgument)
        let tasks = #expect(throws: TogglError.self) { try client.tasks(perPage: -2) }
        #expect(tasks?.code == .invalidArgument)
        #expect(throws: TogglError.self) { try client.taskPages(perPage: -3) }
        #expect(try tenant.requestCount() == 0)
    }

    /// The header's meaning, on the Swift surface too: per_page 0, start_project_id and offset
    /// <= 0 and since at or before the epoch leave the parameter out.
    @Test func zeroAndNegativeLeaveParametersOut() throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        let epoch = TogglTimestamp(secondsSinceEpoch: 0)
        _ = try client.projectsPage(startProjectID: 0, since: epoch, perPage: 0)
        _ = try client.projectsPage(startProjectID: -5)
        _ = try client.tasks(since: TogglTimestamp(secondsSinceEpoch: -1), offset: 0, perPage: 0)
        _ = try client.tasks(offset: -1)
        #expect(try tenant.requestLines() == [
            "GET /me/projects/paginated", "GET /me/projects/paginated", "GET /me/tasks", "GET /me/tasks",
        ])
    }

    @Test func asyncMethodsReachTheSameEndpoints() async throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        let user = try await client.me()
        #expect(user.fullname == "Sandbox User")
        try await client.logged()
        let manifest = try Sandbox.manifest()
        #expect(try await client.tags().count == manifest.tags)
        #expect(try await client.sendRaw(.features()).status == 200)
        #expect(try tenant.requestLines() == ["GET /me", "GET /me/logged", "GET /me/tags", "GET /me/features"])
    }
}

/// PUT /me: every body field goes over the wire and changes what GET /me returns.
@Suite struct UpdateMeTests {
    @Test func everyFieldIsSentAndPersisted() throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        let workspace = try #require(try client.me(withRelatedData: true).workspaces?.last?.id)
        let update = MeUpdate(beginningOfWeek: 3, countryID: 70, defaultWorkspaceID: workspace,
                              email: "renamed@example.com", fullname: "Renamed Üser", timezone: "Asia/Tokyo")
        let updated = try client.updateMe(update)
        #expect(updated.fullname == "Renamed Üser")
        let me = try client.me()
        #expect(me.beginningOfWeek == 3)
        #expect(me.countryID == 70)
        #expect(me.defaultWorkspaceID == workspace)
        #expect(me.email == "renamed@example.com")
        #expect(me.timezone == "Asia/Tokyo")
        let put = try #require(try tenant.requests().first { $0.method == "PUT" })
        #expect(put.path == "/me")
        #expect(put.headers["content-type"] == "application/json")
        let sent = try TogglJSON.decode([String: JSONValue].self, from: Array(put.body.utf8))
        #expect(sent == [
            "beginning_of_week": .int(3), "country_id": .int(70), "default_workspace_id": .int(workspace),
            "email": .string("renamed@example.com"), "fullname": .string("Renamed Üser"),
            "timezone": .string("Asia/Tokyo"),
        ])
    }

    @Test func passwordChangeNeedsTheCurrentOne() throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        let error = #expect(throws: TogglError.self) { try client.updateMe(MeUpdate(password: "new-secret-1")) }
        #expect(error?.code == .request)
        #expect(error?.message == "Current password must be present to change password")
        _ = try client.updateMe(MeUpdate(currentPassword: Sandbox.password, password: "new-secret-1"))
        let put = try #require(try tenant.requests().last)
        let sent = try TogglJSON.decode([String: JSONValue].self, from: Array(put.body.utf8))
        #expect(sent == ["current_password": .string(Sandbox.password), "password": .string("new-secret-1")])
        let renewed = try tenant.client {
            $0.authentication = .emailPassword(email: Sandbox.email, password: "new-secret-1")
        }
        try renewed.logged()
    }

    @Test func validationMessagesReachTheCaller() throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        let cases: [(MeUpdate, String)] = [
            (MeUpdate(beginningOfWeek: 9), "Invalid beginning_of_week"),
            (MeUpdate(timezone: "Mars/Olympus"), "Invalid timezone"),
            (MeUpdate(email: "nope"), "Invalid email"),
            (MeUpdate(fullname: ""), "Invalid fullname"),
        ]
        for (update, message) in cases {
            let error = #expect(throws: TogglError.self) { try client.updateMe(update) }
            #expect(error?.code == .request)
            #expect(error?.httpStatus == 400)
            #expect(error?.message == message)
        }
    }

    @Test func rawJSONObjectBody() throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client()
        let user = try client.send(try .updateMe(jsonObject: Array(#"{"fullname":"Raw Body"}"#.utf8)))
        #expect(user.fullname == "Raw Body")
        #expect(throws: TogglError.self) { try Endpoint.updateMe(jsonObject: Array("[1]".utf8)) }
        #expect(throws: TogglError.self) { try Endpoint.updateMe(jsonObject: Array("{\"a\":".utf8)) }
        #expect(throws: TogglError.self) { try Endpoint.updateMe(jsonObject: [0x7B, 0xFF, 0x7D]) }
        #expect(try tenant.requestCount() == 1)
    }
}
