import CJansson

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
        let document: JSONDocument
        do {
            document = try JSONDocument.parse(jsonObject)
        } catch {
            throw TogglError(.invalidArgument, "PUT /me body is not valid JSON: \(error.message)")
        }
        guard document.type == JSON_OBJECT else {
            throw TogglError(.invalidArgument, "PUT /me body must be a JSON object")
        }
        return Self("/me", method: .put, body: jsonObject, secrets: JSONScan.topLevelValues(forKeys: MeUpdate.secretKeys, in: jsonObject),
                    shape: .object, decode: ResponseDecoding.model(User.self))
    }
}

extension Endpoint where Response == Void {
    /// GET /me/logged: succeeds when the credentials work. The server answers 200 with an empty body.
    public static func logged() -> Self {
        Self("/me/logged", shape: .empty, decode: { _ in })
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
    /// (the server's default is 201). Use `TogglClient.projectPages` to walk them all.
    public static func projectsPage(startProjectID: Int64? = nil, since: TogglTimestamp? = nil,
                                    perPage: Int? = nil) throws(TogglError) -> Self {
        if let startProjectID, startProjectID <= 0 {
            throw TogglError(.invalidArgument, "start_project_id must be positive")
        }
        try requirePositive(perPage)
        var query = QueryBuilder()
        query.integer("start_project_id", startProjectID)
        query.since(since)
        query.integer("per_page", perPage)
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
    /// `offset` items are skipped and `perPage` limits the page (the server's default is all).
    public static func tasks(meta: Bool = false, since: TogglTimestamp? = nil, includeNotActive: Bool = false,
                             offset: Int? = nil, perPage: Int? = nil) throws(TogglError) -> Self {
        if let offset, offset < 0 { throw TogglError(.invalidArgument, "offset must not be negative") }
        try requirePositive(perPage)
        var query = QueryBuilder()
        query.flag("meta", meta)
        query.since(since)
        query.flag("include_not_active", includeNotActive)
        query.integer("offset", offset)
        query.integer("per_page", perPage)
        return Self("/me/tasks", query: query.items, shape: .array, decode: ResponseDecoding.model([TogglTask].self))
    }
}

extension Endpoint where Response == [QuotaEntry] {
    /// GET /me/quota: the remaining requests of the user and of each organization.
    public static func quota() -> Self {
        Self("/me/quota", shape: .array, decode: ResponseDecoding.model([QuotaEntry].self))
    }
}

private func requirePositive(_ perPage: Int?) throws(TogglError) {
    if let perPage, perPage <= 0 { throw TogglError(.invalidArgument, "per_page must be positive") }
}
