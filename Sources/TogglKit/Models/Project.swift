/// A project: GET /me/projects, GET /me/projects/paginated, and `projects` of GET /me?with_related_data=true.
public struct Project: Codable, Sendable, Hashable {
    public var active: Bool?
    public var actualHours: Int64?
    public var actualSeconds: Int64?
    public var at: TogglTimestamp?
    public var autoEstimates: Bool?
    public var billable: Bool?
    /// The only camelCase key in the API (`canSeeRates`).
    public var canSeeRates: Bool?
    public var canTrackTime: Bool?
    /// Legacy duplicate of `clientID`.
    public var cid: Int64?
    public var clientID: Int64?
    public var color: String?
    public var createdAt: TogglTimestamp?
    public var currency: String?
    public var currentPeriod: CurrentPeriod?
    /// A plain date (`2024-12-31`).
    public var endDate: TogglTimestamp?
    public var estimatedHours: Int64?
    public var estimatedSeconds: Int64?
    public var fixedFee: Double?
    public var id: Int64?
    public var integrationExtID: String?
    public var integrationExtType: String?
    public var integrationProvider: String?
    public var isPrivate: Bool?
    public var isShared: Bool?
    public var name: String?
    /// Documented as a string list or an array of strings; the server sends either (or null).
    public var permissions: JSONValue?
    public var pinned: Bool?
    public var rate: Double?
    public var rateLastUpdated: TogglTimestamp?
    public var recurring: Bool?
    public var recurringParameters: [RecurringParameters]?
    /// Undocumented: set when the item was deleted (GET with `since` returns deleted items too).
    public var serverDeletedAt: TogglTimestamp?
    public var sharedAt: TogglTimestamp?
    public var sharedHash: String?
    /// A plain date (`2017-08-28`), not a date-time.
    public var startDate: TogglTimestamp?
    /// `upcoming`, `active`, `ended`, `archived` or `deleted`.
    public var status: String?
    public var tasksCount: Int64?
    public var template: Bool?
    public var templateID: Int64?
    /// Legacy duplicate of `workspaceID`.
    public var wid: Int64?
    public var workspaceID: Int64?

    public init(
        active: Bool? = nil,
        actualHours: Int64? = nil,
        actualSeconds: Int64? = nil,
        at: TogglTimestamp? = nil,
        autoEstimates: Bool? = nil,
        billable: Bool? = nil,
        canSeeRates: Bool? = nil,
        canTrackTime: Bool? = nil,
        cid: Int64? = nil,
        clientID: Int64? = nil,
        color: String? = nil,
        createdAt: TogglTimestamp? = nil,
        currency: String? = nil,
        currentPeriod: CurrentPeriod? = nil,
        endDate: TogglTimestamp? = nil,
        estimatedHours: Int64? = nil,
        estimatedSeconds: Int64? = nil,
        fixedFee: Double? = nil,
        id: Int64? = nil,
        integrationExtID: String? = nil,
        integrationExtType: String? = nil,
        integrationProvider: String? = nil,
        isPrivate: Bool? = nil,
        isShared: Bool? = nil,
        name: String? = nil,
        permissions: JSONValue? = nil,
        pinned: Bool? = nil,
        rate: Double? = nil,
        rateLastUpdated: TogglTimestamp? = nil,
        recurring: Bool? = nil,
        recurringParameters: [RecurringParameters]? = nil,
        serverDeletedAt: TogglTimestamp? = nil,
        sharedAt: TogglTimestamp? = nil,
        sharedHash: String? = nil,
        startDate: TogglTimestamp? = nil,
        status: String? = nil,
        tasksCount: Int64? = nil,
        template: Bool? = nil,
        templateID: Int64? = nil,
        wid: Int64? = nil,
        workspaceID: Int64? = nil
    ) {
        self.active = active
        self.actualHours = actualHours
        self.actualSeconds = actualSeconds
        self.at = at
        self.autoEstimates = autoEstimates
        self.billable = billable
        self.canSeeRates = canSeeRates
        self.canTrackTime = canTrackTime
        self.cid = cid
        self.clientID = clientID
        self.color = color
        self.createdAt = createdAt
        self.currency = currency
        self.currentPeriod = currentPeriod
        self.endDate = endDate
        self.estimatedHours = estimatedHours
        self.estimatedSeconds = estimatedSeconds
        self.fixedFee = fixedFee
        self.id = id
        self.integrationExtID = integrationExtID
        self.integrationExtType = integrationExtType
        self.integrationProvider = integrationProvider
        self.isPrivate = isPrivate
        self.isShared = isShared
        self.name = name
        self.permissions = permissions
        self.pinned = pinned
        self.rate = rate
        self.rateLastUpdated = rateLastUpdated
        self.recurring = recurring
        self.recurringParameters = recurringParameters
        self.serverDeletedAt = serverDeletedAt
        self.sharedAt = sharedAt
        self.sharedHash = sharedHash
        self.startDate = startDate
        self.status = status
        self.tasksCount = tasksCount
        self.template = template
        self.templateID = templateID
        self.wid = wid
        self.workspaceID = workspaceID
    }

    enum CodingKeys: String, CodingKey {
        case active
        case actualHours = "actual_hours"
        case actualSeconds = "actual_seconds"
        case at
        case autoEstimates = "auto_estimates"
        case billable
        case canSeeRates
        case canTrackTime = "can_track_time"
        case cid
        case clientID = "client_id"
        case color
        case createdAt = "created_at"
        case currency
        case currentPeriod = "current_period"
        case endDate = "end_date"
        case estimatedHours = "estimated_hours"
        case estimatedSeconds = "estimated_seconds"
        case fixedFee = "fixed_fee"
        case id
        case integrationExtID = "integration_ext_id"
        case integrationExtType = "integration_ext_type"
        case integrationProvider = "integration_provider"
        case isPrivate = "is_private"
        case isShared = "is_shared"
        case name
        case permissions
        case pinned
        case rate
        case rateLastUpdated = "rate_last_updated"
        case recurring
        case recurringParameters = "recurring_parameters"
        case serverDeletedAt = "server_deleted_at"
        case sharedAt = "shared_at"
        case sharedHash = "shared_hash"
        case startDate = "start_date"
        case status
        case tasksCount = "tasks_count"
        case template
        case templateID = "template_id"
        case wid
        case workspaceID = "workspace_id"
    }

    /// The current period of a recurring project (premium).
    public struct CurrentPeriod: Codable, Sendable, Hashable {
        public var endDate: TogglTimestamp?
        public var startDate: TogglTimestamp?

        public init(
            endDate: TogglTimestamp? = nil,
            startDate: TogglTimestamp? = nil
        ) {
            self.endDate = endDate
            self.startDate = startDate
        }

        enum CodingKeys: String, CodingKey {
            case endDate = "end_date"
            case startDate = "start_date"
        }
    }

    /// How a recurring project repeats (premium).
    public struct RecurringParameters: Codable, Sendable, Hashable {
        /// Used when `period` is `custom`.
        public var customPeriod: Int64?
        public var estimatedSeconds: Int64?
        public var parameterEndDate: TogglTimestamp?
        public var parameterStartDate: TogglTimestamp?
        public var period: String?
        public var projectStartDate: TogglTimestamp?

        public init(
            customPeriod: Int64? = nil,
            estimatedSeconds: Int64? = nil,
            parameterEndDate: TogglTimestamp? = nil,
            parameterStartDate: TogglTimestamp? = nil,
            period: String? = nil,
            projectStartDate: TogglTimestamp? = nil
        ) {
            self.customPeriod = customPeriod
            self.estimatedSeconds = estimatedSeconds
            self.parameterEndDate = parameterEndDate
            self.parameterStartDate = parameterStartDate
            self.period = period
            self.projectStartDate = projectStartDate
        }

        enum CodingKeys: String, CodingKey {
            case customPeriod = "custom_period"
            case estimatedSeconds = "estimated_seconds"
            case parameterEndDate = "parameter_end_date"
            case parameterStartDate = "parameter_start_date"
            case period
            case projectStartDate = "project_start_date"
        }
    }
}
