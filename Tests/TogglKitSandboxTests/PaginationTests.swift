import Testing
@testable import TogglKit

/// Page-by-page walks of GET /me/projects/paginated and GET /me/tasks.
@Suite struct PaginationTests {
    @Test func everyProjectExactlyOnceAcrossPages() throws {
        let tenant = try Sandbox.tenant()
        let pages = try tenant.client().projectPages(perPage: 100)
        var iterator = pages.makeBlockingIterator()
        var ids: [Int64] = []
        var pageCount = 0
        while let page = try iterator.next() {
            pageCount += 1
            // Lazy: exactly one request per page handed out so far.
            #expect(try tenant.requestCount() == pageCount)
            ids += page.compactMap(\.id)
        }
        let total = try Sandbox.manifest().projects
        #expect(ids.count == total)
        #expect(Set(ids).count == total)
        #expect(ids == ids.sorted())
        #expect(pageCount == SandboxManifest.walkPages(total, perPage: 100))
        #expect(try tenant.requestCount() == SandboxManifest.walkRequests(total, perPage: 100),
                "a short last page ends the walk; only an exact multiple needs an empty one")
        #expect(try iterator.next() == nil)
        #expect(try tenant.requestCount() == SandboxManifest.walkRequests(total, perPage: 100),
                "after the end nothing more is sent")
        let lines = try tenant.requestLines()
        #expect(lines.first == "GET /me/projects/paginated?per_page=100")
        #expect(lines[1] == "GET /me/projects/paginated?start_project_id=\(ids[99] + 1)&per_page=100")
    }

    @Test func defaultPageSizeIsTheServers() throws {
        let tenant = try Sandbox.tenant()
        let all = try tenant.client().projectPages().all()
        let manifest = try Sandbox.manifest()
        #expect(all.count == manifest.projects)
        #expect(try tenant.requestCount()
                == SandboxManifest.walkRequests(manifest.projects, perPage: manifest.projectsPerPageDefault))
        #expect(try tenant.requestLines().first == "GET /me/projects/paginated")
    }

    @Test func asyncIteration() async throws {
        let tenant = try Sandbox.tenant()
        var ids = Set<Int64>()
        var total = 0
        var pages = 0
        let projects = try Sandbox.manifest().projects
        // A page size that divides the projects: the walk ends on an empty page.
        let perPage = try #require(stride(from: 250, through: 2, by: -1).first { projects % $0 == 0 && $0 < projects })
        for try await page in try tenant.client().projectPages(perPage: perPage) {
            pages += 1
            total += page.count
            ids.formUnion(page.compactMap(\.id))
        }
        #expect(total == projects)
        #expect(ids.count == projects)
        #expect(pages == projects / perPage, "the empty page that proves the end is not handed out")
        #expect(try tenant.requestCount() == projects / perPage + 1, "full pages, then an empty one proves the end")
    }

    @Test func sinceIsSentOnEveryPage() throws {
        let tenant = try Sandbox.tenant()
        let since = TogglTimestamp(secondsSinceEpoch: 1_600_000_000)
        _ = try tenant.client().projectPages(since: since, perPage: 400).all()
        let lines = try tenant.requestLines()
        #expect(lines.count >= 2)
        #expect(lines.allSatisfy { $0.contains("since=1600000000") && $0.contains("per_page=400") })
    }

    @Test func afterAnErrorTheSamePageIsAskedForAgain() throws {
        let tenant = try Sandbox.tenant()
        let client = try tenant.client { $0.maxRetries = 0 }
        var pages = client.rawPages(try .projects(perPage: 500))
        let first = try #require(try pages.next())
        let cursor = pages.cursor
        try tenant.faults(#"[{"status": 500, "body_kind": "empty"}]"#)
        #expect(throws: TogglError.self) { try pages.next() }
        #expect(pages.cursor == cursor)
        var walked = [first]
        while let page = try pages.next() { walked.append(page) }
        let total = try Sandbox.manifest().projects
        #expect(walked.count == SandboxManifest.walkPages(total, perPage: 500))
        #expect(walked.count >= 3, "the premise: the failure is mid-walk")
        var ids: [Int64] = []
        for page in walked {
            ids += try TogglJSON.decode([Project].self, from: page.body).compactMap(\.id)
        }
        #expect(ids.count == total)
        #expect(Set(ids).count == total)
        #expect(try tenant.requestCount() == SandboxManifest.walkRequests(total, perPage: 500) + 1, "and the failure")
    }

    @Test func tasksByOffset() throws {
        let tenant = try Sandbox.tenant()
        let pages = try tenant.client().taskPages(includeNotActive: true, perPage: 250)
        let tasks = try pages.all()
        let total = try Sandbox.manifest().tasks
        #expect(tasks.count == total)
        #expect(Set(tasks.compactMap(\.id)).count == total)
        let offsets = (0..<SandboxManifest.walkRequests(total, perPage: 250)).map { $0 * 250 }
        #expect(try tenant.requestLines() == offsets.map {
            "GET /me/tasks?include_not_active=true\($0 > 0 ? "&offset=\($0)" : "")&per_page=250"
        })
    }

    @Test func tasksWithoutPageSizeIsOnePage() throws {
        let tenant = try Sandbox.tenant()
        var iterator = try tenant.client().taskPages(meta: true).makeBlockingIterator()
        let page = try #require(try iterator.next())
        let manifest = try Sandbox.manifest()
        #expect(page.count == manifest.tasksActive)
        #expect(try iterator.next() == nil)
        #expect(try tenant.requestLines() == ["GET /me/tasks?meta=true"])
    }
}
