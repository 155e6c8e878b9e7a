// Typed shorthands for every endpoint: `try client.projects()` is `try client.send(.projects())`.
// Each comes twice: blocking (unavailable from async code) and async (a cancelled Task ends it
// with `.cancelled`). Parameters mean the same as in the C header: see `QueryBuilder`.

extension TogglClient {
    /// GET /me: the user's profile. `withRelatedData` adds clients, projects, tags, tasks, time
    /// entries and workspaces (a large response; the store keeps it so it is fetched rarely).
    @available(*, noasync, message: "use the async overload, which a cancelled Task ends")
    public func me(withRelatedData: Bool = false) throws(TogglError) -> User {
        try send(.me(withRelatedData: withRelatedData))
    }
    /// GET /me (see the blocking overload).
    public func me(withRelatedData: Bool = false) async throws(TogglError) -> User {
        try await send(.me(withRelatedData: withRelatedData))
    }

    /// PUT /me with the fields set in `update`; returns the profile as the server saved it.
    /// Sent exactly once: never retried, never redirected.
    @available(*, noasync, message: "use the async overload, which a cancelled Task ends")
    public func updateMe(_ update: MeUpdate) throws(TogglError) -> User { try send(.updateMe(update)) }
    /// PUT /me (see the blocking overload). A cancelled PUT may or may not have been applied.
    public func updateMe(_ update: MeUpdate) async throws(TogglError) -> User { try await send(.updateMe(update)) }

    /// GET /me/logged: returns when the credentials are accepted; throws `.auth` when not.
    @available(*, noasync, message: "use the async overload, which a cancelled Task ends")
    public func logged() throws(TogglError) { try send(.logged()) }
    /// GET /me/logged (see the blocking overload).
    public func logged() async throws(TogglError) { try await send(.logged()) }

    /// GET /me/clients; with `since`, only clients changed after it, deleted ones included.
    @available(*, noasync, message: "use the async overload, which a cancelled Task ends")
    public func clients(since: TogglTimestamp? = nil) throws(TogglError) -> [Client] { try send(.clients(since: since)) }
    /// GET /me/clients (see the blocking overload).
    public func clients(since: TogglTimestamp? = nil) async throws(TogglError) -> [Client] {
        try await send(.clients(since: since))
    }

    /// GET /me/features: the features enabled in each of the user's workspaces.
    @available(*, noasync, message: "use the async overload, which a cancelled Task ends")
    public func features() throws(TogglError) -> [WorkspaceFeatures] { try send(.features()) }
    /// GET /me/features (see the blocking overload).
    public func features() async throws(TogglError) -> [WorkspaceFeatures] { try await send(.features()) }

    /// GET /me/location: nil when the server knows none.
    @available(*, noasync, message: "use the async overload, which a cancelled Task ends")
    public func location() throws(TogglError) -> Location? { try send(.location()) }
    /// GET /me/location (see the blocking overload).
    public func location() async throws(TogglError) -> Location? { try await send(.location()) }

    /// GET /me/organizations: the organizations the user belongs to.
    @available(*, noasync, message: "use the async overload, which a cancelled Task ends")
    public func organizations() throws(TogglError) -> [Organization] { try send(.organizations()) }
    /// GET /me/organizations (see the blocking overload).
    public func organizations() async throws(TogglError) -> [Organization] { try await send(.organizations()) }

    /// GET /me/projects: active projects, archived ones too with `includeArchived`; with `since`,
    /// only projects changed after it, deleted ones included.
    @available(*, noasync, message: "use the async overload, which a cancelled Task ends")
    public func projects(includeArchived: Bool = false, since: TogglTimestamp? = nil) throws(TogglError) -> [Project] {
        try send(.projects(includeArchived: includeArchived, since: since))
    }
    /// GET /me/projects (see the blocking overload).
    public func projects(includeArchived: Bool = false, since: TogglTimestamp? = nil) async throws(TogglError) -> [Project] {
        try await send(.projects(includeArchived: includeArchived, since: since))
    }

    /// GET /me/projects/paginated: one page of projects with id >= `startProjectID` (nil or <= 0:
    /// from the first), ascending, with the `startProjectID` of the next page (`next`, nil after
    /// the last). `perPage` nil or 0 is the server's default (201). `projectPages` walks them all.
    @available(*, noasync, message: "use the async overload, which a cancelled Task ends")
    public func projectsPage(startProjectID: Int64? = nil, since: TogglTimestamp? = nil,
                             perPage: Int? = nil) throws(TogglError) -> Page<Project> {
        try Page(rawPage(.projects(since: since, perPage: perPage), at: startProjectID ?? 0))
    }
    /// GET /me/projects/paginated (see the blocking overload).
    public func projectsPage(startProjectID: Int64? = nil, since: TogglTimestamp? = nil,
                             perPage: Int? = nil) async throws(TogglError) -> Page<Project> {
        try Page(await rawPage(.projects(since: since, perPage: perPage), at: startProjectID ?? 0))
    }

    /// GET /me/tags; with `since`, only tags changed after it, deleted ones included.
    @available(*, noasync, message: "use the async overload, which a cancelled Task ends")
    public func tags(since: TogglTimestamp? = nil) throws(TogglError) -> [TogglTag] { try send(.tags(since: since)) }
    /// GET /me/tags (see the blocking overload).
    public func tags(since: TogglTimestamp? = nil) async throws(TogglError) -> [TogglTag] { try await send(.tags(since: since)) }

    /// GET /me/tasks: `meta` adds project and client names; done tasks only with
    /// `includeNotActive`; `offset` (nil or <= 0: none) items skipped, `perPage` (nil or 0: the
    /// server's default, all) at most. `taskPages` walks them page by page.
    @available(*, noasync, message: "use the async overload, which a cancelled Task ends")
    public func tasks(meta: Bool = false, since: TogglTimestamp? = nil, includeNotActive: Bool = false,
                      offset: Int? = nil, perPage: Int? = nil) throws(TogglError) -> [TogglTask] {
        try send(.tasks(meta: meta, since: since, includeNotActive: includeNotActive, offset: offset, perPage: perPage))
    }
    /// GET /me/tasks (see the blocking overload).
    public func tasks(meta: Bool = false, since: TogglTimestamp? = nil, includeNotActive: Bool = false,
                      offset: Int? = nil, perPage: Int? = nil) async throws(TogglError) -> [TogglTask] {
        try await send(.tasks(meta: meta, since: since, includeNotActive: includeNotActive,
                              offset: offset, perPage: perPage))
    }

    /// GET /me/quota: the remaining requests of the user and of each organization (this request
    /// itself counts against the quota). `lastQuota` reads what the last response reported,
    /// sending nothing.
    @available(*, noasync, message: "use the async overload, which a cancelled Task ends")
    public func quota() throws(TogglError) -> [QuotaEntry] { try send(.quota()) }
    /// GET /me/quota (see the blocking overload).
    public func quota() async throws(TogglError) -> [QuotaEntry] { try await send(.quota()) }
}
