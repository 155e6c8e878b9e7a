/// One page of a paginated endpoint as typed models, with the cursor of the page after it.
public struct Page<Item: Decodable & Sendable>: Sendable {
    /// The page's items, those that decoded (see `issues`).
    public var items: [Item]
    /// The `start_project_id` (projects) or `offset` (tasks) of the next page; nil after the last.
    public var next: Int64?
    /// The HTTP status and retries of the response the page came from.
    public var status: Int
    /// How many times the request was retried.
    public var retries: Int
    /// What decoding dropped (a field of the wrong type, an element that is not an object).
    public var issues: [DecodingIssue]

    /// A page as a test double or cache would build it.
    public init(items: [Item], next: Int64?, status: Int, retries: Int = 0, issues: [DecodingIssue] = []) {
        self.items = items
        self.next = next
        self.status = status
        self.retries = retries
        self.issues = issues
    }

    /// Decodes a raw page; the cursor is the one the core computed for it.
    init(_ page: RawPage) throws(TogglError) {
        do {
            let decoded = try TogglJSON.decodeReportingIssues([Item].self, from: page.response.body)
            items = decoded.value
            issues = decoded.issues
        } catch {
            var error = error
            error.httpStatus = page.response.status
            error.retries = page.response.retries
            throw error
        }
        next = page.next
        status = page.response.status
        retries = page.response.retries
    }
}
