/// A task of a project: GET /me/tasks, and `tasks` of GET /me?with_related_data=true.
/// (Named `TogglTask` so it does not shadow Swift's `Task`.)
public struct TogglTask: Codable, Sendable, Hashable {
    /// False once the task is done.
    public var active: Bool?
    public var at: TogglTimestamp?
    /// Undocumented; with `meta=true`.
    public var avatarURL: String?
    /// Undocumented; with `meta=true`.
    public var clientID: Int64?
    public var clientName: String?
    public var estimatedSeconds: Int64?
    /// Undocumented and only ever seen as null, so its type is unknown.
    public var externalReference: JSONValue?
    public var id: Int64?
    public var integrationExtID: String?
    public var integrationExtType: String?
    public var integrationProvider: String?
    public var name: String?
    /// Documented as a string list or an array of strings; the server sends either (or null).
    public var permissions: JSONValue?
    public var projectBillable: Bool?
    public var projectColor: String?
    public var projectID: Int64?
    /// Undocumented; with `meta=true`.
    public var projectIsPrivate: Bool?
    public var projectName: String?
    public var rate: Double?
    public var rateLastUpdated: TogglTimestamp?
    public var recurring: Bool?
    public var togglAccountsID: String?
    /// Despite the JSON name (`tracked_seconds`) this is in **milliseconds**,
    /// as the reference admits. Use `trackedDuration` for the right unit.
    public var trackedMilliseconds: Int64?
    public var userID: Int64?
    /// Undocumented; with `meta=true`.
    public var userName: String?
    public var workspaceID: Int64?

    public init(
        active: Bool? = nil,
        at: TogglTimestamp? = nil,
        avatarURL: String? = nil,
        clientID: Int64? = nil,
        clientName: String? = nil,
        estimatedSeconds: Int64? = nil,
        externalReference: JSONValue? = nil,
        id: Int64? = nil,
        integrationExtID: String? = nil,
        integrationExtType: String? = nil,
        integrationProvider: String? = nil,
        name: String? = nil,
        permissions: JSONValue? = nil,
        projectBillable: Bool? = nil,
        projectColor: String? = nil,
        projectID: Int64? = nil,
        projectIsPrivate: Bool? = nil,
        projectName: String? = nil,
        rate: Double? = nil,
        rateLastUpdated: TogglTimestamp? = nil,
        recurring: Bool? = nil,
        togglAccountsID: String? = nil,
        trackedMilliseconds: Int64? = nil,
        userID: Int64? = nil,
        userName: String? = nil,
        workspaceID: Int64? = nil
    ) {
        self.active = active
        self.at = at
        self.avatarURL = avatarURL
        self.clientID = clientID
        self.clientName = clientName
        self.estimatedSeconds = estimatedSeconds
        self.externalReference = externalReference
        self.id = id
        self.integrationExtID = integrationExtID
        self.integrationExtType = integrationExtType
        self.integrationProvider = integrationProvider
        self.name = name
        self.permissions = permissions
        self.projectBillable = projectBillable
        self.projectColor = projectColor
        self.projectID = projectID
        self.projectIsPrivate = projectIsPrivate
        self.projectName = projectName
        self.rate = rate
        self.rateLastUpdated = rateLastUpdated
        self.recurring = recurring
        self.togglAccountsID = togglAccountsID
        self.trackedMilliseconds = trackedMilliseconds
        self.userID = userID
        self.userName = userName
        self.workspaceID = workspaceID
    }

    enum CodingKeys: String, CodingKey {
        case active
        case at
        case avatarURL = "avatar_url"
        case clientID = "client_id"
        case clientName = "client_name"
        case estimatedSeconds = "estimated_seconds"
        case externalReference = "external_reference"
        case id
        case integrationExtID = "integration_ext_id"
        case integrationExtType = "integration_ext_type"
        case integrationProvider = "integration_provider"
        case name
        case permissions
        case projectBillable = "project_billable"
        case projectColor = "project_color"
        case projectID = "project_id"
        case projectIsPrivate = "project_is_private"
        case projectName = "project_name"
        case rate
        case rateLastUpdated = "rate_last_updated"
        case recurring
        case togglAccountsID = "toggl_accounts_id"
        case trackedMilliseconds = "tracked_seconds"
        case userID = "user_id"
        case userName = "user_name"
        case workspaceID = "workspace_id"
    }

    /// The time tracked on the task, converted from the milliseconds the API sends.
    public var trackedDuration: Duration? {
        trackedMilliseconds.map { Duration.milliseconds($0) }
    }
}
