extension TogglClient {
    /// Every project, page by page (GET /me/projects/paginated).
    public func projectPages(since: TogglTimestamp? = nil, perPage: Int? = nil) throws(TogglError) -> Pages<Project> {
        Pages(client: self, request: try .projects(since: since, perPage: perPage))
    }

    /// Every task, page by page (GET /me/tasks with offset and per_page).
    public func taskPages(meta: Bool = false, since: TogglTimestamp? = nil, includeNotActive: Bool = false,
                          perPage: Int? = nil) throws(TogglError) -> Pages<TogglTask> {
        Pages(client: self, request: try .tasks(meta: meta, since: since, includeNotActive: includeNotActive,
                                                perPage: perPage))
    }

    /// The pages of `request` as raw JSON (the C and Python pagers are built on this).
    public func rawPages(_ request: PageRequest) -> RawPageIterator {
        RawPageIterator(client: self, request: request)
    }

    /// One page of `request` at `cursor` (a `start_project_id` or an `offset`; 0: the first page)
    /// as raw JSON, with the cursor of the page after it.
    @available(*, noasync, message: "use the async overload, which a cancelled Task ends")
    public func rawPage(_ request: PageRequest, at cursor: Int64) throws(TogglError) -> RawPage {
        try RawPageIterator.fetch(self, request, at: max(0, cursor), control: CallControl())
    }

    /// One page of `request` at `cursor` as raw JSON, with the cursor of the page after it; a
    /// cancelled `Task` ends the call with `.cancelled`.
    public func rawPage(_ request: PageRequest, at cursor: Int64) async throws(TogglError) -> RawPage {
        try await callAsync { (control) throws(TogglError) in
            try RawPageIterator.fetch(self, request, at: max(0, cursor), control: control)
        }
    }
}
