import Testing
import TogglKit
import TestSupport


private func decode<T: Decodable>(_ type: T.Type, _ fixture: String) throws -> T {
    try TogglJSON.decode(type, from: Fixtures.bytes(fixture))
}

private func ts(_ text: String) -> TogglTimestamp? { TogglTimestamp(text) }

/// A decode that must fail with `TogglError.Code.decode`; returns the message.
private func decodeFailure<T: Decodable>(_ type: T.Type, _ fixture: String) throws -> String? {
    let bytes = try Fixtures.bytes(fixture)
    do {
        _ = try TogglJSON.decode(type, from: bytes)
        return nil
    } catch {
        #expect(error.code == .decode)
        return error.message
    }
}

// MARK: - Every recorded sample decodes

@Suite("Real samples and public fixtures")
struct ModelDecodingSampleTests {
    @Test func meRealResponse() throws {
        let user = try decode(User.self, "me.json")
        #expect(user.id == 2_166_261)
        #expect(user.apiToken == "00000000000000000000000000000000")
        #expect(user.email == "user@example.com")
        #expect(user.fullname == "Example User")
        #expect(user.timezone == "Europe/Berlin")
        #expect(user.togglAccountsID == "XXXXXXXXXXXXXXXXXXXXXX")
        #expect(user.defaultWorkspaceID == 2_230_580)
        #expect(user.beginningOfWeek == 1)
        #expect(user.imageURL == "https://secure.gravatar.com/avatar/00000000000000000000000000000000?d=404&s=200")
        #expect(user.createdAt?.rawValue == "2016-03-20T20:40:08.017845Z")
        #expect(user.createdAt?.secondsSinceEpoch == 1_458_506_408)
        #expect(user.createdAt?.nanoseconds == 17_845_000)
        #expect(user.updatedAt == ts("2024-11-26T17:13:54.850204Z"))
        #expect(user.at?.secondsSinceEpoch == 1_733_939_037)  // matches the Date response header
        #expect(user.at?.nanoseconds == 206_072_000)
        #expect(user.authorizationUpdatedAt?.rawValue == "2024-07-02T14:55:08.008327Z")
        #expect(user.openidEmail == nil)       // null
        #expect(user.openidEnabled == true)
        #expect(user.countryID == nil)         // null
        #expect(user.hasPassword == true)
        #expect(user.intercomHash?.count == 64)
        #expect(user.oauthProviders == ["google"])
        // keys absent from the real body
        #expect(user.options == nil)
        #expect(user.togglAccountsUpdatedAt == nil)
        #expect(user.clients == nil && user.projects == nil && user.tags == nil)
        #expect(user.tasks == nil && user.timeEntries == nil && user.workspaces == nil)
    }

    @Test func meWithRelatedData() throws {
        let user = try decode(User.self, "me_with_related_data.json")
        #expect(user.id == 2_166_261)
        #expect(user.at?.rawValue == "2024-12-15T23:18:30.62207Z")
        #expect(user.at?.nanoseconds == 622_070_000)
        #expect(user.tags?.count == 12)
        #expect(user.clients?.count == 4)
        #expect(user.timeEntries?.count == 67)
        #expect(user.projects?.count == 26)
        #expect(user.workspaces?.count == 1)
        #expect(user.tasks == nil)    // the real body has no "tasks" key
        #expect(user.options == nil)  // nor "options"

        let tag = try #require(user.tags?.first)
        #expect(tag == TogglTag(at: ts("2024-11-08T19:11:14.332795Z"), creatorID: 2_166_261, id: 16_939_168,
                           name: "tag-1", workspaceID: 2_230_580))

        let client = try #require(user.clients?.last)
        #expect(client == Client(archived: false, at: ts("2024-03-17T10:56:34+00:00"), creatorID: 2_166_261,
                                 id: 64_890_402, name: "Client 4", wid: 2_230_580))

        let entry = try #require(user.timeEntries?.first)
        #expect(entry.id == 3_730_144_200)
        #expect(entry.projectID == nil)
        #expect(entry.description == nil)
        #expect(entry.tags == [])
        #expect(entry.tagIDs == [])
        #expect(entry.duration == 0)
        #expect(entry.isRunning == false)
        #expect(entry.start == entry.stop)
        #expect(entry.pid == nil)  // absent when there is no project
        let withProject = try #require(user.timeEntries?.first { $0.id == 3_730_092_025 })
        #expect(withProject.pid == 155_392_684)
        #expect(withProject.projectID == 155_392_684)
        #expect(withProject.duration == 13_953)
        #expect(try #require(withProject.stop).secondsSinceEpoch - (try #require(withProject.start)).secondsSinceEpoch
                == 13_953)
        #expect(user.timeEntries?.allSatisfy { !$0.isRunning && $0.serverDeletedAt == nil && $0.uid == 2_166_261 } == true)

        let project = try #require(user.projects?.first)
        #expect(project.id == 63_334_144)
        #expect(project.clientID == 64_890_399)
        #expect(project.cid == 64_890_399)
        #expect(project.actualHours == 1103)
        #expect(project.actualSeconds == 3_973_324)
        #expect(project.startDate?.rawValue == "2017-08-28")
        #expect(project.startDate?.isDateOnly == true)
        #expect(project.startDate?.secondsSinceEpoch == 1_503_878_400)
        #expect(project.template == nil)
        #expect(project.recurringParameters == nil)
        #expect(project.pinned == false)
        #expect(user.projects?.contains { $0.status == "archived" && $0.active == false } == true)

        let workspace = try #require(user.workspaces?.first)
        #expect(workspace.id == 2_230_580)
        #expect(workspace.organizationID == 2_108_099)
        #expect(workspace.role == "admin")
        #expect(workspace.defaultCurrency == "USD")
        #expect(workspace.defaultHourlyRate == nil)
        #expect(workspace.lastModified?.rawValue == "2024-12-15T00:00:00Z")
        #expect(workspace.icalURL == "/ical/workspace_user/00000000000000000000000000000000")
        #expect(workspace.csvUpload == nil)
        #expect(workspace.subscription == nil)
        #expect(workspace.teConstraints == nil)         // absent
        #expect(workspace.workingHoursInMinutes == nil) // null
        #expect(workspace.projectsPrivateByDefault == true)
        #expect(workspace.reportsCollapse == true)
        #expect(workspace.rounding == 0)
    }

    @Test func meWithRelatedDataSlicesMatchTheirOwnSamples() throws {
        let user = try decode(User.self, "me_with_related_data.json")
        #expect(try decode([Client].self, "clients_from_related_data.json") == user.clients)
        let tags = try #require(user.tags)
        let projects = try #require(user.projects)
        #expect(try decode([TogglTag].self, "tags_from_related_data.json") == Array(tags.prefix(4)))
        #expect(try decode([Project].self, "projects_from_related_data.json") == Array(projects.prefix(4)))
    }

    @Test func mePutResponses() throws {
        let put = try decode(User.self, "me_put.json")
        #expect(put.id == 30_809_356)
        #expect(put.togglAccountsID == "uWGsHAeXZGhJvQ3XjdY63h")
        #expect(put.togglAccountsUpdatedAt?.rawValue == "2024-05-16T12:01:24.447981Z")
        #expect(put.togglAccountsUpdatedAt == put.updatedAt)
        #expect(put.timezone == "Europe/London")
        #expect(put.openidEnabled == false)
        #expect(put.intercomHash == nil)
        #expect(put.oauthProviders == nil)

        let old = try decode(User.self, "me_put_ta9mi141.json")
        #expect(old.id == 1_234_567)
        #expect(old.beginningOfWeek == 0)
        #expect(old.hasPassword == nil)  // missing in this fixture
        #expect(old.at?.rawValue == "2012-06-07T08:09:10.810517Z")
        #expect(old.timezone == "Asia/Tokyo")
    }

    @Test func clients() throws {
        let clients = try decode([Client].self, "clients.json")
        #expect(clients == [
            Client(at: ts("2020-01-02T03:04:05+00:00"), id: 12_345_678, name: "test client", wid: 1_234_567),
            Client(at: ts("2020-01-02T03:04:05+00:00"), id: 23_456_789, name: "new client", wid: 2_345_678),
        ])
        #expect(clients[0].archived == nil)
        #expect(clients[0].at?.rawValue == "2020-01-02T03:04:05+00:00")
        #expect(clients[0].at?.secondsSinceEpoch == 1_577_934_245)
    }

    @Test func features() throws {
        let list = try decode([WorkspaceFeatures].self, "features.json")
        #expect(list.count == 1)
        #expect(list[0].workspaceID == 43_644_207)
        #expect(list[0].features?.count == 6)
        #expect(list[0].features?.first == WorkspaceFeatures.Feature(enabled: true, featureID: 0, name: "free"))
        #expect(list[0].features?.last == WorkspaceFeatures.Feature(enabled: false, featureID: 65, name: "project_dashboard"))
    }

    @Test func location() throws {
        let location = try decode(Location.self, "location.json")
        #expect(location == Location(city: "Tallinn", cityLatLong: "59.4370,24.7536", countryCode: "EE",
                                     countryName: "Estonia", state: "Harjumaa"))
    }

    @Test func organizations() throws {
        let orgs = try decode([Organization].self, "organizations.json")
        #expect(orgs.count == 2)
        let org = orgs[0]
        #expect(org.id == 2_108_099)
        #expect(org.pricingPlanID == 0)
        #expect(org.pricingPlanName == "Free")
        #expect(org.pricingPlanEnterprise == false)
        #expect(org.createdAt?.nanoseconds == 365_613_000)
        #expect(org.serverDeletedAt == nil)
        #expect(org.suspendedAt == nil)
        #expect(org.permissions == nil)  // null
        #expect(org.isUnified == false)
        #expect(org.maxWorkspaces == 20)
        #expect(org.maxDataRetentionDays == nil)
        #expect(org.userCount == 1)
        #expect(org.isChargify == nil)
        #expect(org.trialInfo == Organization.TrialInfo(canHaveTrial: true, trial: false, trialAvailable: true))
        #expect(orgs[1].id == 9_011_051)

        let older = try decode([Organization].self, "organizations_ta9mi141.json")
        #expect(older.count == 2)
        #expect(older[0].isChargify == false)
        #expect(older[0].isUnified == nil)
        #expect(older[0].pricingPlanName == nil)
        #expect(older[0].trialInfo?.canHaveTrial == nil)  // missing in the older shape
        #expect(older[0].trialInfo?.trialAvailable == true)
        #expect(older[1].at?.rawValue == "2021-02-03T04:05:06.678184Z")
    }

    @Test func projects() throws {
        let projects = try decode([Project].self, "projects.json")
        #expect(projects.count == 2)
        let first = projects[0]
        #expect(first.id == 123_456_789)
        #expect(first.workspaceID == 1_234_567)
        #expect(first.wid == 1_234_567)
        #expect(first.isPrivate == true)
        #expect(first.billable == nil)        // null
        #expect(first.currentPeriod == nil)   // null
        #expect(first.estimatedSeconds == nil) // missing
        #expect(first.actualHours == 0)
        #expect(first.color == "#e36a00")
        #expect(first.createdAt?.rawValue == "2012-03-04T05:06:07+00:00")

        let evrone = try decode([Project].self, "projects_evrone_fixture.json")
        #expect(evrone.count == 1)
        #expect(evrone[0].id == 202_793_181)
        #expect(evrone[0].actualSeconds == 83)
        #expect(evrone[0].canTrackTime == true)
        #expect(evrone[0].startDate?.isDateOnly == true)
        #expect(evrone[0].startDate?.secondsSinceEpoch == 1_715_817_600)
        #expect(evrone[0].status == "active")
        #expect(evrone[0].pinned == nil)
    }

    @Test func projectsPaginated() throws {
        let page = try decode([Project].self, "projects_paginated.json")
        #expect(page.map(\.id) == [123_456_789, 987_654_321])
        #expect(page[1].name == "Project2")
    }

    @Test func tags() throws {
        let tags = try decode([TogglTag].self, "tags.json")
        #expect(tags.count == 3)
        #expect(tags[0].at?.rawValue == "2020-01-02T03:04:05.6789Z")  // four fractional digits
        #expect(tags[0].at?.nanoseconds == 678_900_000)
        #expect(tags[1].at?.nanoseconds == 678_901_000)
        #expect(tags[2] == TogglTag(at: ts("2020-01-02T03:04:05.678901Z"), id: 3_456_789, name: "toggl-go",
                               workspaceID: 1_234_567))
        #expect(tags[0].creatorID == nil)
    }

    @Test func tasks() throws {
        let tasks = try decode([TogglTask].self, "tasks.json")
        #expect(tasks.count == 2)
        let plain = tasks[0]
        #expect(plain.id == 3_545_645_770)
        #expect(plain.trackedMilliseconds == 52_000)
        #expect(plain.trackedDuration == .seconds(52))
        #expect(plain.userID == nil)
        #expect(plain.projectName == nil)  // no meta fields without meta=true
        #expect(plain.externalReference == nil)

        let meta = tasks[1]
        #expect(meta.rate == 50)           // integer JSON into a Double
        #expect(meta.estimatedSeconds == 7200)
        #expect(meta.trackedDuration == .zero)
        #expect(meta.active == false)
        #expect(meta.rateLastUpdated?.rawValue == "2024-07-30T09:00:00+00:00")
        #expect(meta.togglAccountsID == "XXXXXXXXXXXXXXXXXXXXXX")
        #expect(meta.projectName == "test project")
        #expect(meta.projectColor == "#c9806b")
        #expect(meta.projectBillable == false)
        #expect(meta.projectIsPrivate == true)
        #expect(meta.clientID == nil)
        #expect(meta.userName == "Test User")
        #expect(meta.avatarURL == nil)
    }

    @Test func runningTimeEntry() throws {
        let entry = try #require(try decode(TimeEntry?.self, "time_entry_current_running.json"))
        #expect(entry.id == 3_727_977_106)
        #expect(entry.isRunning)
        #expect(entry.stop == nil)
        #expect(entry.duration == -1_734_049_107)
        #expect(entry.start?.secondsSinceEpoch == 1_734_049_106)
        #expect(entry.description == "Example description")
        #expect(entry.pid == 155_392_684)
        #expect(entry.at?.nanoseconds == 835_197_000)
    }

    @Test func noCurrentTimeEntryIsNull() throws {
        #expect(try decode(TimeEntry?.self, "time_entry_current_none.json") == nil)
    }

    @Test(arguments: [
        ("errors/error_400_invalid_beginning_of_week.json", "Invalid beginning_of_week"),
        ("errors/error_400_invalid_start_project_id.json", "Invalid start_project_id"),
        ("errors/error_400_since_not_unix_timestamp.json", "Since is expected to be an unix timestamp, integer value"),
        ("errors/error_400_time_entries_since_and_before.json", "'since' and 'before' can not be present simultaneously"),
        ("errors/error_invalid_include_archived.json", "Invalid include_archived"),
    ])
    func jsonErrorBodiesAreStrings(_ fixture: String, _ message: String) throws {
        #expect(try decode(String.self, fixture) == message)
    }

    @Test(arguments: ["errors/error_403_incorrect_credentials_plaintext.txt", "errors/error_429_nginx_html_2019.html"])
    func nonJSONErrorBodiesDoNotDecode(_ fixture: String) throws {
        #expect(try decodeFailure(String.self, fixture) != nil)
    }
}

// MARK: - Hand-written edge cases (Fixtures/edge/)

@Suite("Edge-case fixtures")
struct ModelDecodingEdgeTests {
    @Test func everyUserFieldNullDecodesAsNil() throws {
        #expect(try decode(User.self, "edge/me_all_null.json") == User())
        #expect(try decode(User.self, "edge/me_empty_object.json") == User())
        #expect(try decode(User.self, "edge/me_minimal.json") == User(email: "minimal@example.com", id: 30_809_356))
    }

    @Test func everyOtherModelFieldNullDecodesAsNil() throws {
        #expect(try decode([Client].self, "edge/clients_nulls.json") == [Client()])
        #expect(try decode([TogglTag].self, "edge/tags_nulls.json") == [TogglTag()])
        #expect(try decode([TogglTask].self, "edge/tasks_nulls.json") == [TogglTask()])
        #expect(try decode(Location.self, "edge/location_nulls.json") == Location())
        #expect(try decode([QuotaEntry].self, "edge/quota_nulls.json") == [QuotaEntry()])
        #expect(try decode([Project].self, "edge/projects_nulls.json") == [
            Project(),
            Project(currentPeriod: .init(), id: 1, recurringParameters: [.init()]),
        ])
        #expect(try decode([TimeEntry].self, "edge/time_entries_nulls.json") == [
            TimeEntry(),
            TimeEntry(id: 2, sharedWith: [.init()]),
        ])
        #expect(try decode([Organization].self, "edge/organizations_nulls.json") == [
            Organization(),
            Organization(id: 4, trialInfo: .init()),
        ])
        #expect(try decode([WorkspaceFeatures].self, "edge/features_nulls.json") == [
            WorkspaceFeatures(),
            WorkspaceFeatures(features: [.init()], workspaceID: 5),
        ])
        let subscription = Workspace.Subscription(cardDetails: .init(), contactDetail: .init(),
                                                  paymentDetails: .init(), subscriptionPeriod: .init())
        #expect(try decode([Workspace].self, "edge/workspaces_nulls.json") == [
            Workspace(),
            Workspace(csvUpload: .init(), id: 3, subscription: subscription, teConstraints: .init()),
        ])
        let running = TimeEntry()
        #expect(!running.isRunning)  // no duration at all is not "running"
        #expect(TogglTask().trackedDuration == nil)
    }

    @Test func fullUserWithEveryDocumentedField() throws {
        let user = try decode(User.self, "edge/me_full.json")
        // integral floats into integers
        #expect(user.id == 12)
        #expect(user.beginningOfWeek == 1)
        #expect(user.defaultWorkspaceID == 2_230_580)
        #expect(user.countryID == 233)
        #expect(user.apiToken == "11111111111111111111111111111111")
        #expect(user.email == "full@example.com")
        #expect(user.fullname == "Full Example")
        #expect(user.hasPassword == false)
        #expect(user.imageURL == "https://example.com/avatar.png")
        #expect(user.intercomHash == "abcdef")
        #expect(user.oauthProviders == ["google", "apple"])
        #expect(user.openidEmail == "openid@example.com")
        #expect(user.openidEnabled == true)
        #expect(user.timezone == "Asia/Kolkata")
        #expect(user.togglAccountsID == "acc-123")
        #expect(user.togglAccountsUpdatedAt?.nanoseconds == 447_981_000)
        // timestamps of several forms, raw text kept
        #expect(user.at?.rawValue == "2024-12-11T17:43:57.123456789Z")
        #expect(user.at?.secondsSinceEpoch == 1_733_939_037)
        #expect(user.at?.nanoseconds == 123_456_789)
        #expect(user.authorizationUpdatedAt?.nanoseconds == 8_000_000)
        #expect(user.authorizationUpdatedAt?.rawValue == "2024-07-02T14:55:08.008+00:00")
        #expect(user.createdAt?.secondsSinceEpoch == 1_458_506_408)
        #expect(user.createdAt?.nanoseconds == 0)
        #expect(user.updatedAt?.nanoseconds == 800_000_000)
        // free-form options, with nested values of every JSON kind
        #expect(user.options == .object([
            "theme": .string("dark"),
            "nested": .object(["flags": .array([.int(1), .double(2.5), .bool(true), .null, .string("x")])]),
            "count": .int(3),
        ]))
        #expect(user.tasks == [])  // an empty array stays an empty array, not nil

        #expect(user.clients == [Client(
            archived: true, at: ts("2024-03-17T10:55:38+00:00"), creatorID: 2_166_261, id: 64_890_399,
            integrationExtID: "ext-1", integrationExtType: "account", integrationProvider: "salesforce",
            name: "Client Full", notes: "some notes", permissions: .string("admin"), wid: 2_230_580)])

        #expect(user.tags == [TogglTag(
            at: ts("2024-11-08T19:11:14.332795Z"), creatorID: 2_166_261, deletedAt: ts("2024-11-09T00:00:00Z"),
            id: 16_939_168, name: "tag-full", workspaceID: 2_230_580)])

        let project = try #require(user.projects?.first)
        #expect(project == Project(
            active: true, actualHours: 2084, actualSeconds: 7_505_903, at: ts("2024-03-17T10:58:41+00:00"),
            autoEstimates: true, billable: true, canSeeRates: true, canTrackTime: true, cid: 64_890_399,
            clientID: 64_890_399, color: "#2da608", createdAt: ts("2017-08-28T10:50:55+00:00"), currency: "EUR",
            currentPeriod: .init(endDate: ts("2024-12-31"), startDate: ts("2024-12-01")),
            endDate: ts("2025-06-30"), estimatedHours: 100, estimatedSeconds: 360_000, fixedFee: 1500.5,
            id: 63_334_598, integrationExtID: "PRJ-1", integrationExtType: "project", integrationProvider: "jira",
            isPrivate: false, isShared: true, name: "Project Full", permissions: .array([.string("read"), .string("write")]),
            pinned: true, rate: 75, rateLastUpdated: ts("2024-01-01T00:00:00.5Z"), recurring: true,
            recurringParameters: [.init(customPeriod: 14, estimatedSeconds: 7200, parameterEndDate: nil,
                                        parameterStartDate: ts("2024-01-01"), period: "custom",
                                        projectStartDate: ts("2017-08-28"))],
            serverDeletedAt: nil, sharedAt: ts("2024-02-02T02:02:02Z"), sharedHash: "hash123",
            startDate: ts("2017-08-28"), status: "active", tasksCount: 3, template: false, templateID: 777,
            wid: 2_230_580, workspaceID: 2_230_580))
        #expect(project.currentPeriod?.endDate?.isDateOnly == true)
        #expect(project.rateLastUpdated?.nanoseconds == 500_000_000)

        let entry = try #require(user.timeEntries?.first)
        #expect(entry == TimeEntry(
            at: ts("2024-12-15T20:20:50.283589Z"), billable: true, clientName: "Client Full",
            description: "shared entry", duration: 3600, duronly: true, id: 3_730_144_200,
            permissions: .array([.string("edit")]), pid: 63_334_598, projectActive: true, projectBillable: true,
            projectColor: "#2da608", projectID: 63_334_598, projectName: "Project Full",
            sharedWith: [.init(accepted: true, userID: 42, userName: "Colleague"),
                         .init(accepted: false, userID: 43, userName: nil)],
            start: ts("2024-12-15T15:20:50-05:30"), stop: ts("2024-12-15T16:20:50-05:30"),
            tagIDs: [16_939_168], tags: ["tag-full"], taskID: 9001, taskName: "Task A", tid: 9001, uid: 12,
            userAvatarURL: "https://example.com/a.png", userID: 12, userName: "Full Example",
            wid: 2_230_580, workspaceID: 2_230_580))
        #expect(entry.start?.utcOffsetSeconds == -19_800)
        #expect(entry.start?.rawValue == "2024-12-15T15:20:50-05:30")
        #expect(entry.start?.secondsSinceEpoch == 1_734_295_850)  // 2024-12-15T20:50:50Z
        #expect(!entry.isRunning)

        let workspace = try #require(user.workspaces?.first)
        #expect(workspace.admin == true)
        #expect(workspace.apiToken == "22222222222222222222222222222222")
        #expect(workspace.at?.rawValue == "2024-12-15T00:08:00+00:00")
        #expect(workspace.businessWs == true)
        #expect(workspace.csvUpload == Workspace.CSVUpload(at: ts("2024-10-10T10:10:10Z"), logID: 555))
        #expect(workspace.defaultCurrency == "USD")
        #expect(workspace.defaultHourlyRate == 50)
        #expect(workspace.hideStartEndTimes == false)
        #expect(workspace.icalEnabled == true)
        #expect(workspace.icalURL == "/ical/workspace_user/xyz")
        #expect(workspace.id == 2_230_580)
        #expect(workspace.lastModified == ts("2024-12-15T00:00:00Z"))
        #expect(workspace.limitPublicProjectData == false)
        #expect(workspace.logoURL == "https://example.com/logo.jpg")
        #expect(workspace.maxDataRetentionDays == 90)
        #expect(workspace.name == "Workspace Full")
        #expect(workspace.onlyAdminsMayCreateProjects == true)
        #expect(workspace.onlyAdminsMayCreateTags == true)
        #expect(workspace.onlyAdminsSeeBillableRates == true)
        #expect(workspace.onlyAdminsSeeTeamDashboard == true)
        #expect(workspace.organizationID == 2_108_099)
        #expect(workspace.permissions == .string("admin"))
        #expect(workspace.premium == true)
        #expect(workspace.projectsBillableByDefault == true)
        #expect(workspace.projectsEnforceBillable == true)
        #expect(workspace.projectsPrivateByDefault == false)
        #expect(workspace.rateLastUpdated?.rawValue == "2024-06-01T00:00:00+00:00")
        #expect(workspace.reportsCollapse == false)
        #expect(workspace.role == "admin")
        #expect(workspace.rounding == -1)
        #expect(workspace.roundingMinutes == 15)
        #expect(workspace.suspendedAt == nil)
        #expect(workspace.workingHoursInMinutes == 480)
        #expect(workspace.teConstraints == Workspace.TimeEntryConstraints(
            descriptionPresent: true, projectPresent: true, tagPresent: false, taskPresent: false,
            timeEntryConstraintsEnabled: true))

        let subscription = try #require(workspace.subscription)
        #expect(subscription.autoRenew == true)
        #expect(subscription.companyID == 31)
        #expect(subscription.createdAt == ts("2023-01-01T00:00:00Z"))
        #expect(subscription.currency == "EUR")
        #expect(subscription.customerID == 33)
        #expect(subscription.deletedAt == nil)
        #expect(subscription.lastPricingPlanID == 1)
        #expect(subscription.organizationID == 2_108_099)
        #expect(subscription.pricingPlanID == 2)
        #expect(subscription.renewalAt?.rawValue == "2025-01-01T00:00:00Z")
        #expect(subscription.subscriptionID == 34)
        #expect(subscription.workspaceID == 2_230_580)
        #expect(subscription.cardDetails == Workspace.Subscription.CardDetails(
            addedAt: ts("2023-01-01T00:00:00Z"), cardNumber: "**** 4242", cardType: "visa", creatorID: 12,
            creatorName: "Full Example", expiryDate: "12/27", holderName: "F EXAMPLE"))
        #expect(subscription.contactDetail == Workspace.Subscription.ContactDetail(
            companyAddress: "1 Main St", companyCity: "Tallinn", companyName: "Example OU", contactDetailID: 32,
            contactEmail: "billing@example.com", contactPerson: "Billing Person", countryID: 70,
            countrySubdivisionID: 71, createdAt: ts("2023-01-01T00:00:00Z"), customerID: 33, isEuResident: true,
            updatedAt: ts("2023-02-01T00:00:00Z"), userID: 12, vatNumber: "EE123", vatNumberValid: true,
            vatNumberValidatedAt: ts("2023-02-02T00:00:00Z"), zipCode: "10111"))
        #expect(subscription.paymentDetails == Workspace.Subscription.PaymentDetails(
            createdAt: ts("2023-01-01T00:00:00Z"), currency: "EUR", customerID: 33, paymentType: "card",
            reference: "ref-1", userID: 12))
        #expect(subscription.subscriptionPeriod == Workspace.Subscription.SubscriptionPeriod(
            createdAt: ts("2024-01-01T00:00:00Z"), finishedOn: ts("2024-12-31"), startedOn: ts("2024-01-01"),
            subscriptionID: 34, subscriptionPeriodID: 35, trial: false, userCount: 5))
        #expect(subscription.subscriptionPeriod?.finishedOn?.isDateOnly == true)
    }

    @Test func emptyRelatedDataArraysStayEmpty() throws {
        let user = try decode(User.self, "edge/me_related_empty.json")
        #expect(user == User(clients: [], id: 7, oauthProviders: [], options: .object([:]), projects: [], tags: [],
                             tasks: [], timeEntries: [], workspaces: []))
    }

    @Test func unknownKeysAndIntegralFloatsInClients() throws {
        let clients = try decode([Client].self, "edge/clients_edge.json")
        #expect(clients.count == 3)
        #expect(clients[0] == Client(
            archived: false, at: ts("2020-01-02T03:04:05.678Z"), creatorID: 99, id: 12, name: "float ids", notes: nil,
            permissions: .array([.string("read"), .string("write")]), wid: 1_234_567))
        #expect(clients[1] == Client(id: 13))
        #expect(clients[2] == Client())
    }

    @Test func projectsWithFloatsIntsAndCamelCaseKey() throws {
        let projects = try decode([Project].self, "edge/projects_edge.json")
        #expect(projects.count == 2)
        let p = projects[0]
        #expect(p.id == 202_793_181)
        #expect(p.workspaceID == 43_644_207)
        #expect(p.rate == 50)
        #expect(p.fixedFee == 100)
        #expect(p.estimatedHours == 10)
        #expect(p.actualSeconds == 83)
        #expect(p.permissions == .string("read"))  // a string here, an array elsewhere
        #expect(p.canSeeRates == false)            // from "canSeeRates", not "can_see_rates"
        #expect(p.endDate == nil)
        #expect(p.currentPeriod == Project.CurrentPeriod(endDate: ts("2024-05-31"), startDate: ts("2024-05-01")))
        #expect(p.recurringParameters == [])
        #expect(p.status == "upcoming")
        #expect(projects[1] == Project(id: 5, name: "only two keys"))
        #expect(try decode([Project].self, "edge/projects_empty.json") == [])
    }

    @Test func tasksTrackedMillisecondsAndUnknownReferenceShape() throws {
        let tasks = try decode([TogglTask].self, "edge/tasks_edge.json")
        #expect(tasks.count == 2)
        let t = tasks[0]
        #expect(t.projectID == 202_793_182)
        #expect(t.trackedMilliseconds == 90_061_500)
        // 90 061.5 s = 1 d 1 h 1 min 1.5 s
        #expect(t.trackedDuration == .seconds(86_400 + 3600 + 60 + 1) + .milliseconds(500))
        #expect(t.estimatedSeconds == 3600)
        #expect(t.rate == 12.75)
        #expect(t.at?.nanoseconds == 123_456_000)
        #expect(t.permissions == .array([.string("edit")]))
        #expect(t.externalReference == .object(["system": .string("jira"), "key": .string("ABC-1")]))
        #expect(t.clientName == "Client 1")
        #expect(tasks[1] == TogglTask(id: 3_545_645_773))
    }

    @Test func runningAndStoppedTimeEntries() throws {
        let entries = try decode([TimeEntry].self, "edge/time_entries_edge.json")
        #expect(entries.count == 2)
        let running = entries[0]
        #expect(running.isRunning)
        #expect(running.duration == -1)
        #expect(running.stop == nil)       // key missing
        #expect(running.tags == nil)       // null
        #expect(running.tagIDs == nil)
        #expect(running.projectID == nil)
        #expect(running.at?.nanoseconds == 100_000_000)

        let stopped = entries[1]
        #expect(!stopped.isRunning)
        #expect(stopped.id == 4_000_000_002)
        #expect(stopped.duration == 1800)
        #expect(stopped.sharedWith == [])
        #expect(stopped.permissions == nil)
        let start = try #require(stopped.start)
        let stop = try #require(stopped.stop)
        #expect(stop.secondsSinceEpoch - start.secondsSinceEpoch == 1800)
        #expect(start < stop)
    }

    @Test func organizationTrialInfoAndUnknownKeys() throws {
        let orgs = try decode([Organization].self, "edge/organizations_edge.json")
        #expect(orgs.count == 1)
        let org = orgs[0]
        #expect(org.id == 9_011_051)
        #expect(org.maxDataRetentionDays == 365)
        #expect(org.isMultiWorkspaceEnabled == true)
        #expect(org.isUnified == true)
        #expect(org.suspendedAt?.rawValue == "2025-01-01T00:00:00Z")
        #expect(org.permissions == .array([.string("org_admin")]))
        #expect(org.owner == false)
        #expect(org.pricingPlanName == "Starter")
        #expect(org.trialInfo == Organization.TrialInfo(
            canHaveTrial: false, lastPricingPlanID: 1, nextPaymentDate: ts("2025-01-16T00:00:00Z"), trial: true,
            trialAvailable: false, trialEndDate: ts("2025-01-15"), trialPlanID: 2))
        #expect(org.trialInfo?.trialEndDate?.isDateOnly == true)
    }

    @Test func featuresWithEmptyListAndFloats() throws {
        let list = try decode([WorkspaceFeatures].self, "edge/features_edge.json")
        #expect(list == [
            WorkspaceFeatures(features: [], workspaceID: 43_644_207),
            WorkspaceFeatures(features: [.init(enabled: true, featureID: 13, name: "pro")], workspaceID: 2_230_580),
        ])
    }

    @Test func locationWithNullMissingAndExtraKeys() throws {
        #expect(try decode(Location.self, "edge/location_edge.json")
                == Location(countryCode: "US", countryName: "United States"))
    }

    @Test func quotaWithNullAndIntegerOrganization() throws {
        let quota = try decode([QuotaEntry].self, "edge/quota.json")
        #expect(quota == [
            QuotaEntry(organizationID: nil, remaining: 27, resetsInSecs: 1843, total: 30),
            QuotaEntry(organizationID: 2_108_099, remaining: 0, resetsInSecs: 12, total: 30),
            QuotaEntry(organizationID: 9_011_051, remaining: 30, resetsInSecs: 3600, total: 30),
        ])
        #expect(try decode([QuotaEntry].self, "edge/quota_empty.json") == [])
    }

    @Test func everyTimestampFormThroughAModel() throws {
        let tags = try decode([TogglTag].self, "edge/tags_timestamp_forms.json")
        #expect(tags.count == 9)
        let expected: [(raw: String, seconds: Int64, nanos: Int32, offset: Int32, dateOnly: Bool)] = [
            ("2024-12-11T17:43:57Z", 1_733_939_037, 0, 0, false),
            ("2024-12-11T17:43:57.2Z", 1_733_939_037, 200_000_000, 0, false),
            ("2024-12-11T17:43:57.206Z", 1_733_939_037, 206_000_000, 0, false),
            ("2024-12-11T17:43:57.206072Z", 1_733_939_037, 206_072_000, 0, false),
            ("2024-12-11T17:43:57.206072123Z", 1_733_939_037, 206_072_123, 0, false),
            ("2024-12-11T17:43:57+00:00", 1_733_939_037, 0, 0, false),
            ("2024-12-11T12:13:57-05:30", 1_733_939_037, 0, -19_800, false),
            ("2024-12-11T23:13:57.5+05:30", 1_733_939_037, 500_000_000, 19_800, false),
            ("2024-12-11", 1_733_875_200, 0, 0, true),
        ]
        for (tag, want) in zip(tags, expected) {
            let at = try #require(tag.at, "tag \(tag.id ?? -1)")
            #expect(at.rawValue == want.raw)
            #expect(at.secondsSinceEpoch == want.seconds)
            #expect(at.nanoseconds == want.nanos)
            #expect(at.utcOffsetSeconds == want.offset)
            #expect(at.isDateOnly == want.dateOnly)
        }
        #expect(tags[8].deletedAt?.rawValue == "2024-12-12")
        #expect(tags[0].at == tags[5].at && tags[5].at == tags[6].at)
    }

    /// A drifted value decodes as nil, the rest of the element decodes, and the drop is reported
    /// with its path; only the wrong top-level shape fails the call.
    @Test func malformedValuesAreDroppedAndReported() throws {
        func decoded(_ fixture: String) throws -> Decoded<[TogglTag]> {
            try TogglJSON.decodeReportingIssues([TogglTag].self, from: Fixtures.bytes(fixture))
        }
        let badTimestamp = try decoded("edge/tags_invalid_timestamp.json")
        #expect(badTimestamp.value.first?.at == nil)
        #expect(badTimestamp.value.first?.name == "bad")
        #expect(badTimestamp.issues.map(\.path) == ["[0].at"])
        #expect(badTimestamp.issues.first?.reason.contains("11/12/2024 17:43") == true)
        let wrongType = try decoded("edge/tags_wrong_type.json")
        #expect(wrongType.value.first?.id == nil && wrongType.value.first?.name == "bad")
        #expect(wrongType.issues.map(\.path) == ["[0].id"])
        #expect(wrongType.issues.first?.reason.contains("found a string") == true)
        let fractional = try decoded("edge/tags_fractional_id.json")
        #expect(fractional.value.first?.id == nil && fractional.value.first?.name == "not integral")
        #expect(fractional.issues.first?.reason.contains("12.5") == true)
        // a document of the wrong top-level shape
        #expect(try decodeFailure([TogglTag].self, "me.json") != nil)
        #expect(try decodeFailure(User.self, "tags.json") != nil)
    }
}
