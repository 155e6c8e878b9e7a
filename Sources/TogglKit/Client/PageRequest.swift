/// Which paginated endpoint to walk, and with which parameters.
///
/// Projects are walked by cursor (`start_project_id`, inclusive, ascending ids: the next page
/// starts at the last id + 1); tasks by `offset`. A page shorter than the page size is the last,
/// so a walk never spends a request (and quota) on an empty trailing page unless the last full
/// page happens to end exactly at the end.
public struct PageRequest: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case projects(since: TogglTimestamp?, perPage: Int?)
        case tasks(meta: Bool, since: TogglTimestamp?, includeNotActive: Bool, perPage: Int?)
    }

    let kind: Kind

    /// The server's page size for GET /me/projects/paginated when `per_page` is not sent.
    public static let defaultProjectsPerPage = 201

    /// `perPage` nil or 0: the server's default (201); negative: `.invalidArgument`.
    public static func projects(since: TogglTimestamp? = nil, perPage: Int? = nil) throws(TogglError) -> Self {
        Self(kind: .projects(since: since, perPage: try QueryBuilder.perPage(perPage)))
    }

    /// Without `perPage` (nil or 0) the server returns every task in one page; negative is
    /// `.invalidArgument`.
    public static func tasks(meta: Bool = false, since: TogglTimestamp? = nil, includeNotActive: Bool = false,
                             perPage: Int? = nil) throws(TogglError) -> Self {
        Self(kind: .tasks(meta: meta, since: since, includeNotActive: includeNotActive,
                          perPage: try QueryBuilder.perPage(perPage)))
    }

    /// The request for the page at `cursor` (a start_project_id or an offset; 0 = the first page).
    func endpoint(at cursor: Int64) throws(TogglError) -> (method: HTTPMethod, pathAndQuery: String) {
        switch kind {
        case .projects(let since, let perPage):
            let endpoint = try Endpoint.projectsPage(startProjectID: cursor > 0 ? cursor : nil, since: since,
                                                     perPage: perPage)
            return (endpoint.method, endpoint.pathAndQuery)
        case .tasks(let meta, let since, let includeNotActive, let perPage):
            let endpoint = try Endpoint.tasks(meta: meta, since: since, includeNotActive: includeNotActive,
                                              offset: cursor > 0 ? Int(cursor) : nil, perPage: perPage)
            return (endpoint.method, endpoint.pathAndQuery)
        }
    }

    /// The number of items in the page fetched at `cursor` and the cursor of the page after it,
    /// nil when it was the last.
    func advance(after summary: PageSummary, at cursor: Int64) throws(TogglError) -> (count: Int, next: Int64?) {
        switch kind {
        case .projects(_, let perPage):
            return (summary.count, try Self.nextStartProjectID(
                summary, perPage: perPage ?? Self.defaultProjectsPerPage, start: cursor))
        case .tasks(_, _, _, let perPage):
            guard let perPage, summary.count >= perPage, summary.count > 0 else { return (summary.count, nil) }
            let (next, overflow) = cursor.addingReportingOverflow(Int64(summary.count))
            return (summary.count, overflow ? nil : next)
        }
    }

    /// For GET /me/projects/paginated fetched at `start` (0: not sent): the `start_project_id` of
    /// the next page, or nil when this page was the last.
    ///
    /// A page shorter than `perPage` is the last. Otherwise the next page starts after the last
    /// element's `id` (an integer, or a string holding one); when that id is missing or unusable
    /// the walk ends here. An id that would not move the walk forward (not positive, or below
    /// `start`) is `.decode`: following it would fetch the same pages forever.
    static func nextStartProjectID(_ summary: PageSummary, perPage: Int, start: Int64) throws(TogglError) -> Int64? {
        guard summary.count >= perPage, summary.count > 0 else { return nil }
        guard case .integer(let lastID) = summary.lastID else { return nil }
        guard lastID >= max(start, 1) else {
            throw TogglError(.decode, "the page's last project id \(lastID) does not advance the walk (it started at \(max(start, 1)))")
        }
        // No project id can follow the largest one.
        guard lastID < Int64.max else { return nil }
        return lastID + 1
    }

    /// `nextStartProjectID` for a page given as bytes that are a valid JSON array.
    public static func nextStartProjectID(after body: [UInt8], perPage: Int, start: Int64 = 0) throws(TogglError) -> Int64? {
        try JSONValidator.check(body, as: .array)
        return try nextStartProjectID(PageSummary.of(body), perPage: perPage, start: start)
    }
}
