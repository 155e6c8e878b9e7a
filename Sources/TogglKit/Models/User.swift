/// The current user: GET /me (with the related-data arrays when `with_related_data=true`) and PUT /me.
public struct User: Codable, Sendable, Hashable {
    /// Omitted when empty.
    public var apiToken: String?
    public var at: TogglTimestamp?
    public var authorizationUpdatedAt: TogglTimestamp?
    /// 0 is Sunday, 1 Monday, …
    public var beginningOfWeek: Int64?
    /// Related data: null or missing unless `with_related_data=true` (and then still
    /// null rather than empty when the user has none). The same holds for the other arrays.
    public var clients: [Client]?
    public var countryID: Int64?
    public var createdAt: TogglTimestamp?
    public var defaultWorkspaceID: Int64?
    public var email: String?
    public var fullname: String?
    public var hasPassword: Bool?
    public var id: Int64?
    public var imageURL: String?
    /// Omitted when empty.
    public var intercomHash: String?
    public var oauthProviders: [String]?
    public var openidEmail: String?
    public var openidEnabled: Bool?
    /// Free-form and undocumented; omitted when empty.
    public var options: JSONValue?
    public var projects: [Project]?
    public var tags: [TogglTag]?
    /// Missing from real responses even with `with_related_data=true`.
    public var tasks: [TogglTask]?
    public var timeEntries: [TimeEntry]?
    public var timezone: String?
    /// Undocumented.
    public var togglAccountsID: String?
    /// Undocumented; seen in PUT /me responses.
    public var togglAccountsUpdatedAt: TogglTimestamp?
    public var updatedAt: TogglTimestamp?
    public var workspaces: [Workspace]?

    public init(
        apiToken: String? = nil,
        at: TogglTimestamp? = nil,
        authorizationUpdatedAt: TogglTimestamp? = nil,
        beginningOfWeek: Int64? = nil,
        clients: [Client]? = nil,
        countryID: Int64? = nil,
        createdAt: TogglTimestamp? = nil,
        defaultWorkspaceID: Int64? = nil,
        email: String? = nil,
        fullname: String? = nil,
        hasPassword: Bool? = nil,
        id: Int64? = nil,
        imageURL: String? = nil,
        intercomHash: String? = nil,
        oauthProviders: [String]? = nil,
        openidEmail: String? = nil,
        openidEnabled: Bool? = nil,
        options: JSONValue? = nil,
        projects: [Project]? = nil,
        tags: [TogglTag]? = nil,
        tasks: [TogglTask]? = nil,
        timeEntries: [TimeEntry]? = nil,
        timezone: String? = nil,
        togglAccountsID: String? = nil,
        togglAccountsUpdatedAt: TogglTimestamp? = nil,
        updatedAt: TogglTimestamp? = nil,
        workspaces: [Workspace]? = nil
    ) {
        self.apiToken = apiToken
        self.at = at
        self.authorizationUpdatedAt = authorizationUpdatedAt
        self.beginningOfWeek = beginningOfWeek
        self.clients = clients
        self.countryID = countryID
        self.createdAt = createdAt
        self.defaultWorkspaceID = defaultWorkspaceID
        self.email = email
        self.fullname = fullname
        self.hasPassword = hasPassword
        self.id = id
        self.imageURL = imageURL
        self.intercomHash = intercomHash
        self.oauthProviders = oauthProviders
        self.openidEmail = openidEmail
        self.openidEnabled = openidEnabled
        self.options = options
        self.projects = projects
        self.tags = tags
        self.tasks = tasks
        self.timeEntries = timeEntries
        self.timezone = timezone
        self.togglAccountsID = togglAccountsID
        self.togglAccountsUpdatedAt = togglAccountsUpdatedAt
        self.updatedAt = updatedAt
        self.workspaces = workspaces
    }

    enum CodingKeys: String, CodingKey {
        case apiToken = "api_token"
        case at
        case authorizationUpdatedAt = "authorization_updated_at"
        case beginningOfWeek = "beginning_of_week"
        case clients
        case countryID = "country_id"
        case createdAt = "created_at"
        case defaultWorkspaceID = "default_workspace_id"
        case email
        case fullname
        case hasPassword = "has_password"
        case id
        case imageURL = "image_url"
        case intercomHash = "intercom_hash"
        case oauthProviders = "oauth_providers"
        case openidEmail = "openid_email"
        case openidEnabled = "openid_enabled"
        case options
        case projects
        case tags
        case tasks
        case timeEntries = "time_entries"
        case timezone
        case togglAccountsID = "toggl_accounts_id"
        case togglAccountsUpdatedAt = "toggl_accounts_updated_at"
        case updatedAt = "updated_at"
        case workspaces
    }
}
