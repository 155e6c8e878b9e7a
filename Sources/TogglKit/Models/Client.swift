/// A client (customer): GET /me/clients, and `clients` of GET /me?with_related_data=true.
public struct Client: Codable, Sendable, Hashable {
    public var archived: Bool?
    public var at: TogglTimestamp?
    public var creatorID: Int64?
    public var id: Int64?
    public var integrationExtID: String?
    public var integrationExtType: String?
    public var integrationProvider: String?
    public var name: String?
    public var notes: String?
    /// Documented as a string list or an array of strings; the server sends either (or null).
    public var permissions: JSONValue?
    /// The workspace id (clients have no `workspace_id` key).
    public var wid: Int64?

    public init(
        archived: Bool? = nil,
        at: TogglTimestamp? = nil,
        creatorID: Int64? = nil,
        id: Int64? = nil,
        integrationExtID: String? = nil,
        integrationExtType: String? = nil,
        integrationProvider: String? = nil,
        name: String? = nil,
        notes: String? = nil,
        permissions: JSONValue? = nil,
        wid: Int64? = nil
    ) {
        self.archived = archived
        self.at = at
        self.creatorID = creatorID
        self.id = id
        self.integrationExtID = integrationExtID
        self.integrationExtType = integrationExtType
        self.integrationProvider = integrationProvider
        self.name = name
        self.notes = notes
        self.permissions = permissions
        self.wid = wid
    }

    enum CodingKeys: String, CodingKey {
        case archived
        case at
        case creatorID = "creator_id"
        case id
        case integrationExtID = "integration_ext_id"
        case integrationExtType = "integration_ext_type"
        case integrationProvider = "integration_provider"
        case name
        case notes
        case permissions
        case wid
    }
}
