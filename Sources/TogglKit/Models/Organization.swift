/// An organization the user belongs to: GET /me/organizations.
public struct Organization: Codable, Sendable, Hashable {
    public var admin: Bool?
    public var at: TogglTimestamp?
    public var createdAt: TogglTimestamp?
    public var id: Int64?
    /// Undocumented; only in older responses.
    public var isChargify: Bool?
    public var isMultiWorkspaceEnabled: Bool?
    public var isUnified: Bool?
    public var maxDataRetentionDays: Int64?
    public var maxWorkspaces: Int64?
    public var name: String?
    public var owner: Bool?
    /// Documented as a string list or an array of strings; the server sends either (or null).
    public var permissions: JSONValue?
    public var pricingPlanEnterprise: Bool?
    public var pricingPlanID: Int64?
    public var pricingPlanName: String?
    /// Undocumented.
    public var serverDeletedAt: TogglTimestamp?
    /// Documented as a boolean-like "whether" but sent as a timestamp (or null).
    public var suspendedAt: TogglTimestamp?
    public var trialInfo: TrialInfo?
    public var userCount: Int64?

    public init(
        admin: Bool? = nil,
        at: TogglTimestamp? = nil,
        createdAt: TogglTimestamp? = nil,
        id: Int64? = nil,
        isChargify: Bool? = nil,
        isMultiWorkspaceEnabled: Bool? = nil,
        isUnified: Bool? = nil,
        maxDataRetentionDays: Int64? = nil,
        maxWorkspaces: Int64? = nil,
        name: String? = nil,
        owner: Bool? = nil,
        permissions: JSONValue? = nil,
        pricingPlanEnterprise: Bool? = nil,
        pricingPlanID: Int64? = nil,
        pricingPlanName: String? = nil,
        serverDeletedAt: TogglTimestamp? = nil,
        suspendedAt: TogglTimestamp? = nil,
        trialInfo: TrialInfo? = nil,
        userCount: Int64? = nil
    ) {
        self.admin = admin
        self.at = at
        self.createdAt = createdAt
        self.id = id
        self.isChargify = isChargify
        self.isMultiWorkspaceEnabled = isMultiWorkspaceEnabled
        self.isUnified = isUnified
        self.maxDataRetentionDays = maxDataRetentionDays
        self.maxWorkspaces = maxWorkspaces
        self.name = name
        self.owner = owner
        self.permissions = permissions
        self.pricingPlanEnterprise = pricingPlanEnterprise
        self.pricingPlanID = pricingPlanID
        self.pricingPlanName = pricingPlanName
        self.serverDeletedAt = serverDeletedAt
        self.suspendedAt = suspendedAt
        self.trialInfo = trialInfo
        self.userCount = userCount
    }

    enum CodingKeys: String, CodingKey {
        case admin
        case at
        case createdAt = "created_at"
        case id
        case isChargify = "is_chargify"
        case isMultiWorkspaceEnabled = "is_multi_workspace_enabled"
        case isUnified = "is_unified"
        case maxDataRetentionDays = "max_data_retention_days"
        case maxWorkspaces = "max_workspaces"
        case name
        case owner
        case permissions
        case pricingPlanEnterprise = "pricing_plan_enterprise"
        case pricingPlanID = "pricing_plan_id"
        case pricingPlanName = "pricing_plan_name"
        case serverDeletedAt = "server_deleted_at"
        case suspendedAt = "suspended_at"
        case trialInfo = "trial_info"
        case userCount = "user_count"
    }

    /// The organization's trial state.
    public struct TrialInfo: Codable, Sendable, Hashable {
        /// Missing in older responses.
        public var canHaveTrial: Bool?
        public var lastPricingPlanID: Int64?
        public var nextPaymentDate: TogglTimestamp?
        public var trial: Bool?
        public var trialAvailable: Bool?
        public var trialEndDate: TogglTimestamp?
        /// Missing in older responses.
        public var trialPlanID: Int64?

        public init(
            canHaveTrial: Bool? = nil,
            lastPricingPlanID: Int64? = nil,
            nextPaymentDate: TogglTimestamp? = nil,
            trial: Bool? = nil,
            trialAvailable: Bool? = nil,
            trialEndDate: TogglTimestamp? = nil,
            trialPlanID: Int64? = nil
        ) {
            self.canHaveTrial = canHaveTrial
            self.lastPricingPlanID = lastPricingPlanID
            self.nextPaymentDate = nextPaymentDate
            self.trial = trial
            self.trialAvailable = trialAvailable
            self.trialEndDate = trialEndDate
            self.trialPlanID = trialPlanID
        }

        enum CodingKeys: String, CodingKey {
            case canHaveTrial = "can_have_trial"
            case lastPricingPlanID = "last_pricing_plan_id"
            case nextPaymentDate = "next_payment_date"
            case trial
            case trialAvailable = "trial_available"
            case trialEndDate = "trial_end_date"
            case trialPlanID = "trial_plan_id"
        }
    }
}
