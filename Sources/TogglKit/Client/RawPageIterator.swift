/// Walks the pages of a `PageRequest` as raw JSON, one request per `next()`.
///
/// After an error, `next()` asks for the same page again (nothing is skipped or repeated);
/// after the last page it returns nil without sending anything. An empty page is never handed
/// out: it ends the walk (it happens when the items end exactly on a page boundary).
public struct RawPageIterator: Sendable {
    private let client: TogglClient
    /// Which endpoint and parameters the pages come from.
    public let request: PageRequest
    /// The cursor of the page the next call fetches.
    public private(set) var cursor: Int64 = 0
    /// True after the last page: `next()` then returns nil and sends nothing.
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
                                 validate: true, control: control)
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
