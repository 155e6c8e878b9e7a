/// Every page of a paginated endpoint as typed models: `for try await page in client.projectPages()`,
/// or synchronously through `makeBlockingIterator()`. Each page is fetched only when asked for.
public struct Pages<Item: Decodable & Sendable>: AsyncSequence, Sendable {
    public typealias Element = [Item]
    private let client: TogglClient
    /// Which endpoint and parameters the pages come from.
    public let request: PageRequest

    init(client: TogglClient, request: PageRequest) {
        self.client = client
        self.request = request
    }

    /// Fetches one page per `next()`; a cancelled `Task` ends the fetch with `.cancelled`.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var raw: RawPageIterator
        /// What decoding dropped from the page `next()` returned last (see `DecodingIssue`).
        public private(set) var issues: [DecodingIssue] = []

        public mutating func next() async throws(TogglError) -> [Item]? {
            guard let page = try await raw.next() else { return nil }
            let decoded = try Pages.decode(page)
            issues = decoded.issues
            return decoded.value
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(raw: RawPageIterator(client: client, request: request))
    }

    /// Fetches one page per `next()`, blocking the calling thread.
    public struct BlockingIterator {
        var raw: RawPageIterator
        /// What decoding dropped from the page `next()` returned last (see `DecodingIssue`).
        public private(set) var issues: [DecodingIssue] = []

        @available(*, noasync, message: "use the async iterator, which a cancelled Task ends")
        public mutating func next() throws(TogglError) -> [Item]? {
            guard let page = try raw.next() else { return nil }
            let decoded = try Pages.decode(page)
            issues = decoded.issues
            return decoded.value
        }
    }

    private static func decode(_ page: RawResponse) throws(TogglError) -> Decoded<[Item]> {
        do {
            return try TogglJSON.decodeReportingIssues([Item].self, from: page.body)
        } catch {
            var error = error
            error.httpStatus = page.status
            error.retries = page.retries
            throw error
        }
    }

    /// The pages for a thread (not async code): `while let page = try iterator.next()`.
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
