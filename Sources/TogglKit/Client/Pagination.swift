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

/// One page as the server sent it, with the cursor of the page after it.
public struct RawPage: Sendable {
    public var response: RawResponse
    /// Elements in the page.
    public var count: Int
    /// The `start_project_id` (projects) or `offset` (tasks) of the next page; nil after the last.
    public var next: Int64?
}

/// Walks the pages of a `PageRequest` as raw JSON, one request per `next()`.
///
/// After an error, `next()` asks for the same page again (nothing is skipped or repeated);
/// after the last page it returns nil without sending anything. An empty page is never handed
/// out: it ends the walk (it happens when the items end exactly on a page boundary).
public struct RawPageIterator: Sendable {
    private let client: TogglClient
    public let request: PageRequest
    /// The cursor of the page the next call fetches.
    public private(set) var cursor: Int64 = 0
    public private(set) var isFinished = false

    init(client: TogglClient, request: PageRequest) {
        self.client = client
        self.request = request
    }

    /// The next page, or nil after the last. A failed or cancelled call leaves the cursor where
    /// it was: the next call asks for the same page.
    @available(*, noasync, message: "use the async overload, which a cancelled Task ends")
    public mutating func next() throws(TogglError) -> RawResponse? {
        guard !isFinished else { return nil }
        return advance(to: try Self.fetch(client, request, at: cursor, control: CallControl()))
    }

    /// The next page, or nil after the last; a cancelled `Task` ends the call with `.cancelled`
    /// and leaves the cursor where it was.
    public mutating func next() async throws(TogglError) -> RawResponse? {
        guard !isFinished else { return nil }
        let (client, request, cursor) = (self.client, self.request, self.cursor)
        let page = try await client.callAsync { (control) throws(TogglError) in
            try Self.fetch(client, request, at: cursor, control: control)
        }
        return advance(to: page)
    }

    /// One page at `cursor` and the cursor after it: the one place a page's cursor is computed.
    static func fetch(_ client: TogglClient, _ request: PageRequest, at cursor: Int64,
                      control: CallControl) throws(TogglError) -> RawPage {
        let (method, pathAndQuery) = try request.endpoint(at: cursor)
        let response = try client.call(control) { (executor, control) throws(TogglError) in
            try executor.execute(method: method, pathAndQuery: pathAndQuery, body: nil, shape: .array,
                                 buildTree: false, control: control).raw
        }
        do {
            let (count, next) = try request.advance(after: PageSummary.of(response.body), at: cursor)
            return RawPage(response: response, count: count, next: next)
        } catch {
            // A response arrived: whatever fails after it carries its status.
            var error = error
            error.httpStatus = response.status
            error.retries = response.retries
            throw error
        }
    }

    /// An empty page is never handed out: it ends the walk.
    private mutating func advance(to page: RawPage) -> RawResponse? {
        if let next = page.next { cursor = next } else { isFinished = true }
        return page.count > 0 ? page.response : nil
    }
}

/// Every page of a paginated endpoint as typed models: `for try await page in client.projectPages()`,
/// or synchronously through `makeBlockingIterator()`. Each page is fetched only when asked for.
public struct Pages<Item: Decodable & Sendable>: AsyncSequence, Sendable {
    public typealias Element = [Item]
    private let client: TogglClient
    public let request: PageRequest

    init(client: TogglClient, request: PageRequest) {
        self.client = client
        self.request = request
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var raw: RawPageIterator

        public mutating func next() async throws(TogglError) -> [Item]? {
            try await raw.next().map(Pages.decode)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(raw: RawPageIterator(client: client, request: request))
    }

    public struct BlockingIterator {
        var raw: RawPageIterator

        @available(*, noasync, message: "use the async iterator, which a cancelled Task ends")
        public mutating func next() throws(TogglError) -> [Item]? {
            try raw.next().map(Pages.decode)
        }
    }

    private static func decode(_ page: RawResponse) throws(TogglError) -> [Item] {
        do {
            return try TogglJSON.decode([Item].self, from: page.body)
        } catch {
            var error = error
            error.httpStatus = page.status
            error.retries = page.retries
            throw error
        }
    }

    public func makeBlockingIterator() -> BlockingIterator {
        BlockingIterator(raw: RawPageIterator(client: client, request: request))
    }

    /// Every item of every page, fetched synchronously.
    @available(*, noasync, message: "iterate with for try await, which a cancelled Task ends")
    public func all() throws(TogglError) -> [Item] {
        var iterator = makeBlockingIterator()
        var items: [Item] = []
        while let page = try iterator.next() { items += page }
        return items
    }
}

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
