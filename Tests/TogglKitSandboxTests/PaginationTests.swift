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
        #expect(ids.count == 1_250)
        #expect(Set(ids).count == 1_250)
        #expect(ids == ids.sorted())
        #expect(pageCount == 13, "12 full pages and a short last one; no empty trailing request")
        #expect(try iterator.next() == nil)
        #expect(try tenant.requestCount() == 13, "after the end nothing more is sent")
        let lines = try tenant.requestLines()
        #expect(lines.first == "GET /me/projects/paginated?per_page=100")
        #expect(lines[1] == "GET /me/projects/paginated?start_project_id=\(ids[99] + 1)&per_page=100")
    }

    @Test func defaultPageSizeIsTheServers() throws {
        let tenant = try Sandbox.tenant()
        let all = try tenant.client().projectPages().all()
        #expect(all.count == 1_250)
        #expect(try tenant.requestCount() == 7)
        #expect(try tenant.requestLines().first == "GET /me/projects/paginated")
    }

    @Test func asyncIteration() async throws {
        let tenant = try Sandbox.tenant()
        var ids = Set<Int64>()
        var total = 0
        var pages = 0
        for try await page in try tenant.client().projectPages(perPage: 250) {
            pages += 1
            total += page.count
            ids.formUnion(page.compactMap(\.id))
        }
        #expect(total == 1_250)
        #expect(ids.count == 1_250)
        #expect(pages == 5, "the empty page that proves the end is not handed out")
        #expect(try tenant.requestCount() == 5 + 1, "5 full pages, then an empty one proves the end")
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
        let second = try #require(try pages.next())
        let third = try #require(try pages.next())
        #expect(try pages.next() == nil)
        var ids: [Int64] = []
        for page in [first, second, third] {
            ids += try TogglJSON.decode([Project].self, from: page.body).compactMap(\.id)
        }
        #expect(ids.count == 1_250)
        #expect(Set(ids).count == 1_250)
        #expect(try tenant.requestCount() == 4)
    }

    @Test func tasksByOffset() throws {
        let tenant = try Sandbox.tenant()
        let pages = try tenant.client().taskPages(includeNotActive: true, perPage: 250)
        let tasks = try pages.all()
        #expect(tasks.count == 600)
        #expect(Set(tasks.compactMap(\.id)).count == 600)
        #expect(try tenant.requestLines() == [
            "GET /me/tasks?include_not_active=true&per_page=250",
            "GET /me/tasks?include_not_active=true&offset=250&per_page=250",
            "GET /me/tasks?include_not_active=true&offset=500&per_page=250",
        ])
    }

    @Test func tasksWithoutPageSizeIsOnePage() throws {
        let tenant = try Sandbox.tenant()
        var iterator = try tenant.client().taskPages(meta: true).makeBlockingIterator()
        let page = try #require(try iterator.next())
        #expect(page.count == 482)
        #expect(try iterator.next() == nil)
        #expect(try tenant.requestLines() == ["GET /me/tasks?meta=true"])
    }
}
