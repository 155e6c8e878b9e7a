import TogglKit

// Pagers over GET /me/projects/paginated and GET /me/tasks.

private func newPager(_ client: OpaquePointer?, _ request: () throws(TogglError) -> PageRequest) -> OpaquePointer? {
    do {
        let togglClient = try Handles.client(client)
        let pages = togglClient.rawPages(try request())
        LastError.succeed()
        return Handles.open(PagerHandle(pages))
    } catch {
        LastError.fail(error)
        return nil
    }
}

@_cdecl("toggl_projects_pager_new")
public func toggl_projects_pager_new(_ client: OpaquePointer?, _ since: Int64, _ perPage: Int32) -> OpaquePointer? {
    newPager(client) { () throws(TogglError) in
        try .projects(since: try Arguments.since(since), perPage: Int(perPage))
    }
}

@_cdecl("toggl_tasks_pager_new")
public func toggl_tasks_pager_new(_ client: OpaquePointer?, _ meta: Bool, _ since: Int64, _ includeNotActive: Bool,
                                  _ perPage: Int32) -> OpaquePointer? {
    newPager(client) { () throws(TogglError) in
        try .tasks(meta: meta, since: try Arguments.since(since), includeNotActive: includeNotActive,
                   perPage: Int(perPage))
    }
}

@_cdecl("toggl_pager_next")
public func toggl_pager_next(_ pager: OpaquePointer?, _ out: OutJSON?) -> Int32 {
    out?.pointee = nil
    return LastError.status { () throws(TogglError) in
        guard let out else { throw TogglError(.invalidArgument, "out_json is NULL") }
        let handle = try Handles.pager(pager)
        guard let page = try handle.pages.next() else { return 1 }
        try copyOut(page.body, to: out)
        return 0
    }
}

@_cdecl("toggl_pager_free")
public func toggl_pager_free(_ pager: OpaquePointer?) {
    Handles.close(pager, as: PagerHandle.self)
}
