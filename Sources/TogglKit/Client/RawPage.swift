/// One page as the server sent it, with the cursor of the page after it.
public struct RawPage: Sendable {
    /// The page's JSON array as the server sent it.
    public var response: RawResponse
    /// Elements in the page.
    public var count: Int
    /// The `start_project_id` (projects) or `offset` (tasks) of the next page; nil after the last.
    public var next: Int64?
}
