import CJansson

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

    public static func projects(since: TogglTimestamp? = nil, perPage: Int? = nil) throws(TogglError) -> Self {
        _ = try Endpoint.projectsPage(since: since, perPage: perPage)
        return Self(kind: .projects(since: since, perPage: perPage))
    }

    /// Without `perPage` the server returns every task in one page.
    public static func tasks(meta: Bool = false, since: TogglTimestamp? = nil, includeNotActive: Bool = false,
                             perPage: Int? = nil) throws(TogglError) -> Self {
        _ = try Endpoint.tasks(meta: meta, since: since, includeNotActive: includeNotActive, perPage: perPage)
        return Self(kind: .tasks(meta: meta, since: since, includeNotActive: includeNotActive, perPage: perPage))
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

    /// The number of items in the page `document` (fetched at `cursor`) and the cursor of the page after it,
    /// nil when it was the last.
    func advance(after document: JSONDocument, at cursor: Int64) throws(TogglError) -> (count: Int, next: Int64?) {
        let summary = try Self.summary(of: document)
        switch kind {
        case .projects(_, let perPage):
            return (summary.count, try Self.nextStartProjectID(summary, perPage: perPage ?? Self.defaultProjectsPerPage))
        case .tasks(_, _, _, let perPage):
            guard let perPage, summary.count >= perPage, summary.count > 0 else { return (summary.count, nil) }
            return (summary.count, cursor + Int64(summary.count))
        }
    }

    /// For GET /me/projects/paginated: the `start_project_id` of the next page (last id + 1),
    /// or nil when `body` is shorter than `perPage` or empty.
    public static func nextStartProjectID(after body: [UInt8], perPage: Int) throws(TogglError) -> Int64? {
        try nextStartProjectID(summary(of: JSONDocument.parse(body)), perPage: perPage)
    }

    private static func nextStartProjectID(_ summary: (count: Int, lastID: Int64?),
                                           perPage: Int) throws(TogglError) -> Int64? {
        guard summary.count >= perPage, summary.count > 0 else { return nil }
        guard let lastID = summary.lastID else {
            throw TogglError(.decode, "the last project of the page has no integer id to continue from")
        }
        let (next, overflow) = lastID.addingReportingOverflow(1)
        guard !overflow else { throw TogglError(.decode, "project id \(lastID) cannot be continued from") }
        return next
    }

    /// Element count and the last element's `id`, read without decoding the models
    /// (a page must not fail to paginate because some other field changed type).
    static func summary(of document: JSONDocument) throws(TogglError) -> (count: Int, lastID: Int64?) {
        guard document.type == JSON_ARRAY else {
            throw TogglError(.decode, "expected a JSON array page but the response is \(document.type.label)")
        }
        let count = json_array_size(document.root)
        guard count > 0, let last = json_array_get(document.root, count - 1),
              let idNode = json_object_get(last, "id") else { return (count, nil) }
        switch json_typeof(idNode) {
        case JSON_INTEGER:
            return (count, json_integer_value(idNode))
        case JSON_REAL:
            let real = json_real_value(idNode)
            return (count, real.rounded(.towardZero) == real ? Int64(exactly: real) : nil)
        default:
            return (count, nil)
        }
    }
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

    public mutating func next() throws(TogglError) -> RawResponse? {
        try nextPage()?.raw
    }

    public mutating func next() async throws(TogglError) -> RawResponse? {
        try await nextPage()?.raw
    }

    mutating func nextPage() throws(TogglError) -> RequestExecutor.Validated? {
        guard !isFinished else { return nil }
        return try advance(after: Self.fetch(client, request, at: cursor))
    }

    mutating func nextPage() async throws(TogglError) -> RequestExecutor.Validated? {
        guard !isFinished else { return nil }
        let (client, request, cursor) = (self.client, self.request, self.cursor)
        let page = try await BlockingWork.run { () -> Result<RequestExecutor.Validated, TogglError> in
            do throws(TogglError) { return .success(try Self.fetch(client, request, at: cursor)) } catch { return .failure(error) }
        }.get()
        return try advance(after: page)
    }

    private static func fetch(_ client: TogglClient, _ request: PageRequest,
                              at cursor: Int64) throws(TogglError) -> RequestExecutor.Validated {
        let (method, pathAndQuery) = try request.endpoint(at: cursor)
        return try client.executor.execute(method: method, pathAndQuery: pathAndQuery, body: nil, shape: .array,
                                           buildTree: true)
    }

    private mutating func advance(after page: RequestExecutor.Validated) throws(TogglError) -> RequestExecutor.Validated? {
        guard let document = page.document else { throw TogglError(.internal, "a validated page has no document") }
        let (count, next) = try request.advance(after: document, at: cursor)
        if let next {
            cursor = next
        } else {
            isFinished = true
        }
        return count > 0 ? page : nil
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
            try await raw.nextPage().map(Pages.decode)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(raw: RawPageIterator(client: client, request: request))
    }

    public struct BlockingIterator {
        var raw: RawPageIterator

        public mutating func next() throws(TogglError) -> [Item]? {
            try raw.nextPage().map(Pages.decode)
        }
    }

    private static func decode(_ page: RequestExecutor.Validated) throws(TogglError) -> [Item] {
        guard let document = page.document else { throw TogglError(.internal, "a validated page has no document") }
        return try TogglJSON.decode([Item].self, from: document)
    }

    public func makeBlockingIterator() -> BlockingIterator {
        BlockingIterator(raw: RawPageIterator(client: client, request: request))
    }

    /// Every item of every page, fetched synchronously.
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
}
