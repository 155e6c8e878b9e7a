// Typed shorthands for every endpoint, sync and async: `try client.projects()` is
// `try client.send(.projects())`.

extension TogglClient {
    public func me(withRelatedData: Bool = false) throws(TogglError) -> User {
        try send(.me(withRelatedData: withRelatedData))
    }
    public func me(withRelatedData: Bool = false) async throws(TogglError) -> User {
        try await send(.me(withRelatedData: withRelatedData))
    }

    public func updateMe(_ update: MeUpdate) throws(TogglError) -> User { try send(.updateMe(update)) }
    public func updateMe(_ update: MeUpdate) async throws(TogglError) -> User { try await send(.updateMe(update)) }

    /// Succeeds when the credentials are accepted; throws `.auth` when not.
    public func logged() throws(TogglError) { try send(.logged()) }
    public func logged() async throws(TogglError) { try await send(.logged()) }

    public func clients(since: TogglTimestamp? = nil) throws(TogglError) -> [Client] { try send(.clients(since: since)) }
    public func clients(since: TogglTimestamp? = nil) async throws(TogglError) -> [Client] {
        try await send(.clients(since: since))
    }

    public func features() throws(TogglError) -> [WorkspaceFeatures] { try send(.features()) }
    public func features() async throws(TogglError) -> [WorkspaceFeatures] { try await send(.features()) }

    public func location() throws(TogglError) -> Location? { try send(.location()) }
    public func location() async throws(TogglError) -> Location? { try await send(.location()) }

    public func organizations() throws(TogglError) -> [Organization] { try send(.organizations()) }
    public func organizations() async throws(TogglError) -> [Organization] { try await send(.organizations()) }

    public func projects(includeArchived: Bool = false, since: TogglTimestamp? = nil) throws(TogglError) -> [Project] {
        try send(.projects(includeArchived: includeArchived, since: since))
    }
    public func projects(includeArchived: Bool = false, since: TogglTimestamp? = nil) async throws(TogglError) -> [Project] {
        try await send(.projects(includeArchived: includeArchived, since: since))
    }

    public func projectsPage(startProjectID: Int64? = nil, since: TogglTimestamp? = nil,
                             perPage: Int? = nil) throws(TogglError) -> [Project] {
        try send(.projectsPage(startProjectID: startProjectID, since: since, perPage: perPage))
    }
    public func projectsPage(startProjectID: Int64? = nil, since: TogglTimestamp? = nil,
                             perPage: Int? = nil) async throws(TogglError) -> [Project] {
        try await send(.projectsPage(startProjectID: startProjectID, since: since, perPage: perPage))
    }

    public func tags(since: TogglTimestamp? = nil) throws(TogglError) -> [TogglTag] { try send(.tags(since: since)) }
    public func tags(since: TogglTimestamp? = nil) async throws(TogglError) -> [TogglTag] { try await send(.tags(since: since)) }

    public func tasks(meta: Bool = false, since: TogglTimestamp? = nil, includeNotActive: Bool = false,
                      offset: Int? = nil, perPage: Int? = nil) throws(TogglError) -> [TogglTask] {
        try send(.tasks(meta: meta, since: since, includeNotActive: includeNotActive, offset: offset, perPage: perPage))
    }
    public func tasks(meta: Bool = false, since: TogglTimestamp? = nil, includeNotActive: Bool = false,
                      offset: Int? = nil, perPage: Int? = nil) async throws(TogglError) -> [TogglTask] {
        try await send(.tasks(meta: meta, since: since, includeNotActive: includeNotActive,
                              offset: offset, perPage: perPage))
    }

    /// GET /me/quota (this request itself counts against the quota).
    public func quotaEntries() throws(TogglError) -> [QuotaEntry] { try send(.quota()) }
    public func quotaEntries() async throws(TogglError) -> [QuotaEntry] { try await send(.quota()) }
}
