/// A time entry: `time_entries` of GET /me?with_related_data=true (and GET /me/time_entries/current).
public struct TimeEntry: Codable, Sendable, Hashable {
    public var at: TogglTimestamp?
    public var billable: Bool?
    public var clientName: String?
    public var description: String?
    /// Seconds. Negative while the entry is running (`-1`, or minus the start as UNIX
    /// seconds in older entries): see `isRunning`.
    public var duration: Int64?
    public var duronly: Bool?
    public var id: Int64?
    /// Documented as a string list or an array of strings; the server sends either (or null).
    public var permissions: JSONValue?
    /// Legacy duplicate of `projectID`.
    public var pid: Int64?
    public var projectActive: Bool?
    public var projectBillable: Bool?
    public var projectColor: String?
    public var projectID: Int64?
    public var projectName: String?
    /// Undocumented: set when the item was deleted (GET with `since` returns deleted items too).
    public var serverDeletedAt: TogglTimestamp?
    public var sharedWith: [SharedWith]?
    public var start: TogglTimestamp?
    /// Null while running, and for entries created with only a duration.
    public var stop: TogglTimestamp?
    public var tagIDs: [Int64]?
    public var tags: [String]?
    public var taskID: Int64?
    public var taskName: String?
    /// Legacy duplicate of `taskID`.
    public var tid: Int64?
    /// Legacy duplicate of `userID`.
    public var uid: Int64?
    public var userAvatarURL: String?
    public var userID: Int64?
    public var userName: String?
    /// Legacy duplicate of `workspaceID`.
    public var wid: Int64?
    public var workspaceID: Int64?

    public init(
        at: TogglTimestamp? = nil,
        billable: Bool? = nil,
        clientName: String? = nil,
        description: String? = nil,
        duration: Int64? = nil,
        duronly: Bool? = nil,
        id: Int64? = nil,
        permissions: JSONValue? = nil,
        pid: Int64? = nil,
        projectActive: Bool? = nil,
        projectBillable: Bool? = nil,
        projectColor: String? = nil,
        projectID: Int64? = nil,
        projectName: String? = nil,
        serverDeletedAt: TogglTimestamp? = nil,
        sharedWith: [SharedWith]? = nil,
        start: TogglTimestamp? = nil,
        stop: TogglTimestamp? = nil,
        tagIDs: [Int64]? = nil,
        tags: [String]? = nil,
        taskID: Int64? = nil,
        taskName: String? = nil,
        tid: Int64? = nil,
        uid: Int64? = nil,
        userAvatarURL: String? = nil,
        userID: Int64? = nil,
        userName: String? = nil,
        wid: Int64? = nil,
        workspaceID: Int64? = nil
    ) {
        self.at = at
        self.billable = billable
        self.clientName = clientName
        self.description = description
        self.duration = duration
        self.duronly = duronly
        self.id = id
        self.permissions = permissions
        self.pid = pid
        self.projectActive = projectActive
        self.projectBillable = projectBillable
        self.projectColor = projectColor
        self.projectID = projectID
        self.projectName = projectName
        self.serverDeletedAt = serverDeletedAt
        self.sharedWith = sharedWith
        self.start = start
        self.stop = stop
        self.tagIDs = tagIDs
        self.tags = tags
        self.taskID = taskID
        self.taskName = taskName
        self.tid = tid
        self.uid = uid
        self.userAvatarURL = userAvatarURL
        self.userID = userID
        self.userName = userName
        self.wid = wid
        self.workspaceID = workspaceID
    }

    enum CodingKeys: String, CodingKey {
        case at
        case billable
        case clientName = "client_name"
        case description
        case duration
        case duronly
        case id
        case permissions
        case pid
        case projectActive = "project_active"
        case projectBillable = "project_billable"
        case projectColor = "project_color"
        case projectID = "project_id"
        case projectName = "project_name"
        case serverDeletedAt = "server_deleted_at"
        case sharedWith = "shared_with"
        case start
        case stop
        case tagIDs = "tag_ids"
        case tags
        case taskID = "task_id"
        case taskName = "task_name"
        case tid
        case uid
        case userAvatarURL = "user_avatar_url"
        case userID = "user_id"
        case userName = "user_name"
        case wid
        case workspaceID = "workspace_id"
    }

    /// True while the entry is running, which the API signals with a negative `duration`.
    public var isRunning: Bool {
        (duration ?? 0) < 0
    }

    /// A user a time entry has been shared with.
    public struct SharedWith: Codable, Sendable, Hashable {
        public var accepted: Bool?
        public var userID: Int64?
        public var userName: String?

        public init(
            accepted: Bool? = nil,
            userID: Int64? = nil,
            userName: String? = nil
        ) {
            self.accepted = accepted
            self.userID = userID
            self.userName = userName
        }

        enum CodingKeys: String, CodingKey {
            case accepted
            case userID = "user_id"
            case userName = "user_name"
        }
    }
}
