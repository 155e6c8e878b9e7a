// One factory per endpoint of the Toggl API v9 "me" reference, plus GET /me/quota.
// Parameters left nil (or false) are not sent at all.

extension Endpoint where Response == User {
    /// GET /me. `withRelatedData` adds clients, projects, tags, tasks, time entries and workspaces.
    public static func me(withRelatedData: Bool = false) -> Self {
        var query = QueryBuilder()
        query.flag("with_related_data", withRelatedData)
        return Self("/me", query: query.items, shape: .object, decode: ResponseDecoding.model(User.self))
    }

    /// PUT /me with the fields set in `update`.
    public static func updateMe(_ update: MeUpdate) -> Self {
        Self("/me", method: .put, body: update.jsonBody(), secrets: [update.currentPassword, update.password].compactMap { $0 },
             shape: .object, decode: ResponseDecoding.model(User.self))
    }

    /// PUT /me with a caller-built JSON object (the C and Python surfaces pass theirs through).
    public static func updateMe(jsonObject: [UInt8]) throws(TogglError) -> Self {
        try JSONDocument.requireObject(jsonObject, "PUT /me body")
        return Self("/me", method: .put, body: jsonObject, secrets: JSONScan.topLevelValues(forKeys: MeUpdate.secretKeys, in: jsonObject),
                    shape: .object, decode: ResponseDecoding.model(User.self))
    }
}

extension Endpoint where Response == Void {
    /// GET /me/logged: succeeds when the credentials work. The server answers 200 with an empty body.
    public static func logged() -> Self {
        Self("/me/logged", shape: .empty, decode: { _ in Decoded(value: ()) })
    }
}

extension Endpoint where Response == [Client] {
    /// GET /me/clients; with `since`, also clients deleted after it.
    public static func clients(since: TogglTimestamp? = nil) -> Self {
        var query = QueryBuilder()
        query.since(since)
        return Self("/me/clients", query: query.items, shape: .array, decode: ResponseDecoding.model([Client].self))
    }
}

extension Endpoint where Response == [WorkspaceFeatures] {
    /// GET /me/features: the features enabled in each of the user's workspaces.
    public static func features() -> Self {
        Self("/me/features", shape: .array, decode: ResponseDecoding.model([WorkspaceFeatures].self))
    }
}

extension Endpoint where Response == Location? {
    /// GET /me/location: nil when the server has no location (it then answers with an empty body).
    public static func location() -> Self {
        Self("/me/location", shape: .objectOrNull, decode: ResponseDecoding.optionalModel(Location.self))
    }
}

extension Endpoint where Response == [Organization] {
    /// GET /me/organizations.
    public static func organizations() -> Self {
        Self("/me/organizations", shape: .array, decode: ResponseDecoding.model([Organization].self))
    }
}

extension Endpoint where Response == [Project] {
    /// GET /me/projects; archived projects only with `includeArchived`.
    public static func projects(includeArchived: Bool = false, since: TogglTimestamp? = nil) -> Self {
        var query = QueryBuilder()
        query.flag("include_archived", includeArchived)
        query.since(since)
        return Self("/me/projects", query: query.items, shape: .array, decode: ResponseDecoding.model([Project].self))
    }

    /// GET /me/projects/paginated: projects with id >= `startProjectID`, ascending, `perPage` of them
    /// (nil or 0: the server's default, 201). Use `TogglClient.projectPages` to walk them all.
    /// Parameters as described at `QueryBuilder`.
    public static func projectsPage(startProjectID: Int64? = nil, since: TogglTimestamp? = nil,
                                    perPage: Int? = nil) throws(TogglError) -> Self {
        var query = QueryBuilder()
        query.positive("start_project_id", startProjectID)
        query.since(since)
        try query.perPage(perPage)
        return Self("/me/projects/paginated", query: query.items, shape: .array,
                    decode: ResponseDecoding.model([Project].self))
    }
}

extension Endpoint where Response == [TogglTag] {
    /// GET /me/tags; with `since`, also tags deleted after it.
    public static func tags(since: TogglTimestamp? = nil) -> Self {
        var query = QueryBuilder()
        query.since(since)
        return Self("/me/tags", query: query.items, shape: .array, decode: ResponseDecoding.model([TogglTag].self))
    }
}

extension Endpoint where Response == [TogglTask] {
    /// GET /me/tasks. `meta` adds project and client names; done tasks only with `includeNotActive`;
    /// `offset` items are skipped and `perPage` limits the page (nil or 0: the server's default,
    /// all). Parameters as described at `QueryBuilder`.
    public static func tasks(meta: Bool = false, since: TogglTimestamp? = nil, includeNotActive: Bool = false,
                             offset: Int? = nil, perPage: Int? = nil) throws(TogglError) -> Self {
        var query = QueryBuilder()
        query.flag("meta", meta)
        query.since(since)
        query.flag("include_not_active", includeNotActive)
        query.positive("offset", offset.map(Int64.init))
        try query.perPage(perPage)
        return Self("/me/tasks", query: query.items, shape: .array, decode: ResponseDecoding.model([TogglTask].self))
    }
}

extension Endpoint where Response == [QuotaEntry] {
    /// GET /me/quota: the remaining requests of the user and of each organization.
    public static func quota() -> Self {
        Self("/me/quota", shape: .array, decode: ResponseDecoding.model([QuotaEntry].self))
    }
}
