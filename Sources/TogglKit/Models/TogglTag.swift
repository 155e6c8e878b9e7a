/// A tag: GET /me/tags, and `tags` of GET /me?with_related_data=true.
public struct TogglTag: Codable, Sendable, Hashable {
    public var at: TogglTimestamp?
    public var creatorID: Int64?
    public var deletedAt: TogglTimestamp?
    public var id: Int64?
    public var integrationExtID: String?
    public var integrationExtType: String?
    public var integrationProvider: String?
    public var name: String?
    /// Documented as a string list or an array of strings; the server sends either (or null).
    public var permissions: JSONValue?
    public var workspaceID: Int64?

    public init(
        at: TogglTimestamp? = nil,
        creatorID: Int64? = nil,
        deletedAt: TogglTimestamp? = nil,
        id: Int64? = nil,
        integrationExtID: String? = nil,
        integrationExtType: String? = nil,
        integrationProvider: String? = nil,
        name: String? = nil,
        permissions: JSONValue? = nil,
        workspaceID: Int64? = nil
    ) {
        self.at = at
        self.creatorID = creatorID
        self.deletedAt = deletedAt
        self.id = id
        self.integrationExtID = integrationExtID
        self.integrationExtType = integrationExtType
        self.integrationProvider = integrationProvider
        self.name = name
        self.permissions = permissions
        self.workspaceID = workspaceID
    }

    enum CodingKeys: String, CodingKey {
        case at
        case creatorID = "creator_id"
        case deletedAt = "deleted_at"
        case id
        case integrationExtID = "integration_ext_id"
        case integrationExtType = "integration_ext_type"
        case integrationProvider = "integration_provider"
        case name
        case permissions
        case workspaceID = "workspace_id"
    }
}
