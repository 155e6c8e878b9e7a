/// A workspace: `workspaces` of GET /me?with_related_data=true.
public struct Workspace: Codable, Sendable, Hashable {
    /// Deprecated: prefer `role`.
    public var admin: Bool?
    /// Deprecated.
    public var apiToken: String?
    public var at: TogglTimestamp?
    /// True on the Premium plan.
    public var businessWs: Bool?
    public var csvUpload: CSVUpload?
    public var defaultCurrency: String?
    public var defaultHourlyRate: Double?
    public var hideStartEndTimes: Bool?
    public var icalEnabled: Bool?
    /// A path relative to the API host, not a full URL.
    public var icalURL: String?
    public var id: Int64?
    public var lastModified: TogglTimestamp?
    public var limitPublicProjectData: Bool?
    public var logoURL: String?
    public var maxDataRetentionDays: Int64?
    public var name: String?
    public var onlyAdminsMayCreateProjects: Bool?
    public var onlyAdminsMayCreateTags: Bool?
    public var onlyAdminsSeeBillableRates: Bool?
    public var onlyAdminsSeeTeamDashboard: Bool?
    public var organizationID: Int64?
    /// Documented as a string list or an array of strings; the server sends either (or null).
    public var permissions: JSONValue?
    /// True on the Starter plan (despite the name).
    public var premium: Bool?
    public var projectsBillableByDefault: Bool?
    public var projectsEnforceBillable: Bool?
    public var projectsPrivateByDefault: Bool?
    public var rateLastUpdated: TogglTimestamp?
    public var reportsCollapse: Bool?
    public var role: String?
    /// 0 rounds to nearest, 1 up, -1 down.
    public var rounding: Int64?
    public var roundingMinutes: Int64?
    /// Undocumented: set when the item was deleted (GET with `since` returns deleted items too).
    public var serverDeletedAt: TogglTimestamp?
    /// Deprecated; null in current responses.
    public var subscription: Subscription?
    public var suspendedAt: TogglTimestamp?
    public var teConstraints: TimeEntryConstraints?
    public var workingHoursInMinutes: Int64?

    public init(
        admin: Bool? = nil,
        apiToken: String? = nil,
        at: TogglTimestamp? = nil,
        businessWs: Bool? = nil,
        csvUpload: CSVUpload? = nil,
        defaultCurrency: String? = nil,
        defaultHourlyRate: Double? = nil,
        hideStartEndTimes: Bool? = nil,
        icalEnabled: Bool? = nil,
        icalURL: String? = nil,
        id: Int64? = nil,
        lastModified: TogglTimestamp? = nil,
        limitPublicProjectData: Bool? = nil,
        logoURL: String? = nil,
        maxDataRetentionDays: Int64? = nil,
        name: String? = nil,
        onlyAdminsMayCreateProjects: Bool? = nil,
        onlyAdminsMayCreateTags: Bool? = nil,
        onlyAdminsSeeBillableRates: Bool? = nil,
        onlyAdminsSeeTeamDashboard: Bool? = nil,
        organizationID: Int64? = nil,
        permissions: JSONValue? = nil,
        premium: Bool? = nil,
        projectsBillableByDefault: Bool? = nil,
        projectsEnforceBillable: Bool? = nil,
        projectsPrivateByDefault: Bool? = nil,
        rateLastUpdated: TogglTimestamp? = nil,
        reportsCollapse: Bool? = nil,
        role: String? = nil,
        rounding: Int64? = nil,
        roundingMinutes: Int64? = nil,
        serverDeletedAt: TogglTimestamp? = nil,
        subscription: Subscription? = nil,
        suspendedAt: TogglTimestamp? = nil,
        teConstraints: TimeEntryConstraints? = nil,
        workingHoursInMinutes: Int64? = nil
    ) {
        self.admin = admin
        self.apiToken = apiToken
        self.at = at
        self.businessWs = businessWs
        self.csvUpload = csvUpload
        self.defaultCurrency = defaultCurrency
        self.defaultHourlyRate = defaultHourlyRate
        self.hideStartEndTimes = hideStartEndTimes
        self.icalEnabled = icalEnabled
        self.icalURL = icalURL
        self.id = id
        self.lastModified = lastModified
        self.limitPublicProjectData = limitPublicProjectData
        self.logoURL = logoURL
        self.maxDataRetentionDays = maxDataRetentionDays
        self.name = name
        self.onlyAdminsMayCreateProjects = onlyAdminsMayCreateProjects
        self.onlyAdminsMayCreateTags = onlyAdminsMayCreateTags
        self.onlyAdminsSeeBillableRates = onlyAdminsSeeBillableRates
        self.onlyAdminsSeeTeamDashboard = onlyAdminsSeeTeamDashboard
        self.organizationID = organizationID
        self.permissions = permissions
        self.premium = premium
        self.projectsBillableByDefault = projectsBillableByDefault
        self.projectsEnforceBillable = projectsEnforceBillable
        self.projectsPrivateByDefault = projectsPrivateByDefault
        self.rateLastUpdated = rateLastUpdated
        self.reportsCollapse = reportsCollapse
        self.role = role
        self.rounding = rounding
        self.roundingMinutes = roundingMinutes
        self.serverDeletedAt = serverDeletedAt
        self.subscription = subscription
        self.suspendedAt = suspendedAt
        self.teConstraints = teConstraints
        self.workingHoursInMinutes = workingHoursInMinutes
    }

    enum CodingKeys: String, CodingKey {
        case admin
        case apiToken = "api_token"
        case at
        case businessWs = "business_ws"
        case csvUpload = "csv_upload"
        case defaultCurrency = "default_currency"
        case defaultHourlyRate = "default_hourly_rate"
        case hideStartEndTimes = "hide_start_end_times"
        case icalEnabled = "ical_enabled"
        case icalURL = "ical_url"
        case id
        case lastModified = "last_modified"
        case limitPublicProjectData = "limit_public_project_data"
        case logoURL = "logo_url"
        case maxDataRetentionDays = "max_data_retention_days"
        case name
        case onlyAdminsMayCreateProjects = "only_admins_may_create_projects"
        case onlyAdminsMayCreateTags = "only_admins_may_create_tags"
        case onlyAdminsSeeBillableRates = "only_admins_see_billable_rates"
        case onlyAdminsSeeTeamDashboard = "only_admins_see_team_dashboard"
        case organizationID = "organization_id"
        case permissions
        case premium
        case projectsBillableByDefault = "projects_billable_by_default"
        case projectsEnforceBillable = "projects_enforce_billable"
        case projectsPrivateByDefault = "projects_private_by_default"
        case rateLastUpdated = "rate_last_updated"
        case reportsCollapse = "reports_collapse"
        case role
        case rounding
        case roundingMinutes = "rounding_minutes"
        case serverDeletedAt = "server_deleted_at"
        case subscription
        case suspendedAt = "suspended_at"
        case teConstraints = "te_constraints"
        case workingHoursInMinutes = "working_hours_in_minutes"
    }

    /// The last CSV import into the workspace.
    public struct CSVUpload: Codable, Sendable, Hashable {
        public var at: TogglTimestamp?
        public var logID: Int64?

        public init(
            at: TogglTimestamp? = nil,
            logID: Int64? = nil
        ) {
            self.at = at
            self.logID = logID
        }

        enum CodingKeys: String, CodingKey {
            case at
            case logID = "log_id"
        }
    }

    /// The workspace's (deprecated) subscription record.
    public struct Subscription: Codable, Sendable, Hashable {
        public var autoRenew: Bool?
        public var cardDetails: CardDetails?
        public var companyID: Int64?
        public var contactDetail: ContactDetail?
        public var createdAt: TogglTimestamp?
        public var currency: String?
        public var customerID: Int64?
        public var deletedAt: TogglTimestamp?
        public var lastPricingPlanID: Int64?
        public var organizationID: Int64?
        public var paymentDetails: PaymentDetails?
        public var pricingPlanID: Int64?
        public var renewalAt: TogglTimestamp?
        public var subscriptionID: Int64?
        public var subscriptionPeriod: SubscriptionPeriod?
        public var workspaceID: Int64?

        public init(
            autoRenew: Bool? = nil,
            cardDetails: CardDetails? = nil,
            companyID: Int64? = nil,
            contactDetail: ContactDetail? = nil,
            createdAt: TogglTimestamp? = nil,
            currency: String? = nil,
            customerID: Int64? = nil,
            deletedAt: TogglTimestamp? = nil,
            lastPricingPlanID: Int64? = nil,
            organizationID: Int64? = nil,
            paymentDetails: PaymentDetails? = nil,
            pricingPlanID: Int64? = nil,
            renewalAt: TogglTimestamp? = nil,
            subscriptionID: Int64? = nil,
            subscriptionPeriod: SubscriptionPeriod? = nil,
            workspaceID: Int64? = nil
        ) {
            self.autoRenew = autoRenew
            self.cardDetails = cardDetails
            self.companyID = companyID
            self.contactDetail = contactDetail
            self.createdAt = createdAt
            self.currency = currency
            self.customerID = customerID
            self.deletedAt = deletedAt
            self.lastPricingPlanID = lastPricingPlanID
            self.organizationID = organizationID
            self.paymentDetails = paymentDetails
            self.pricingPlanID = pricingPlanID
            self.renewalAt = renewalAt
            self.subscriptionID = subscriptionID
            self.subscriptionPeriod = subscriptionPeriod
            self.workspaceID = workspaceID
        }

        enum CodingKeys: String, CodingKey {
            case autoRenew = "auto_renew"
            case cardDetails = "card_details"
            case companyID = "company_id"
            case contactDetail = "contact_detail"
            case createdAt = "created_at"
            case currency
            case customerID = "customer_id"
            case deletedAt = "deleted_at"
            case lastPricingPlanID = "last_pricing_plan_id"
            case organizationID = "organization_id"
            case paymentDetails = "payment_details"
            case pricingPlanID = "pricing_plan_id"
            case renewalAt = "renewal_at"
            case subscriptionID = "subscription_id"
            case subscriptionPeriod = "subscription_period"
            case workspaceID = "workspace_id"
        }

        /// The payment card on file.
        public struct CardDetails: Codable, Sendable, Hashable {
            public var addedAt: TogglTimestamp?
            public var cardNumber: String?
            public var cardType: String?
            public var creatorID: Int64?
            public var creatorName: String?
            /// Kept as text: a card expiry (month/year) is not an instant.
            public var expiryDate: String?
            public var holderName: String?

            public init(
                addedAt: TogglTimestamp? = nil,
                cardNumber: String? = nil,
                cardType: String? = nil,
                creatorID: Int64? = nil,
                creatorName: String? = nil,
                expiryDate: String? = nil,
                holderName: String? = nil
            ) {
                self.addedAt = addedAt
                self.cardNumber = cardNumber
                self.cardType = cardType
                self.creatorID = creatorID
                self.creatorName = creatorName
                self.expiryDate = expiryDate
                self.holderName = holderName
            }

            enum CodingKeys: String, CodingKey {
                case addedAt = "added_at"
                case cardNumber = "card_number"
                case cardType = "card_type"
                case creatorID = "creator_id"
                case creatorName = "creator_name"
                case expiryDate = "expiry_date"
                case holderName = "holder_name"
            }
        }

        /// The billing contact.
        public struct ContactDetail: Codable, Sendable, Hashable {
            public var companyAddress: String?
            public var companyCity: String?
            public var companyName: String?
            public var contactDetailID: Int64?
            public var contactEmail: String?
            public var contactPerson: String?
            public var countryID: Int64?
            public var countrySubdivisionID: Int64?
            public var createdAt: TogglTimestamp?
            public var customerID: Int64?
            public var isEuResident: Bool?
            public var updatedAt: TogglTimestamp?
            public var userID: Int64?
            public var vatNumber: String?
            /// Deprecated.
            public var vatNumberValid: Bool?
            /// Deprecated.
            public var vatNumberValidatedAt: TogglTimestamp?
            public var zipCode: String?

            public init(
                companyAddress: String? = nil,
                companyCity: String? = nil,
                companyName: String? = nil,
                contactDetailID: Int64? = nil,
                contactEmail: String? = nil,
                contactPerson: String? = nil,
                countryID: Int64? = nil,
                countrySubdivisionID: Int64? = nil,
                createdAt: TogglTimestamp? = nil,
                customerID: Int64? = nil,
                isEuResident: Bool? = nil,
                updatedAt: TogglTimestamp? = nil,
                userID: Int64? = nil,
                vatNumber: String? = nil,
                vatNumberValid: Bool? = nil,
                vatNumberValidatedAt: TogglTimestamp? = nil,
                zipCode: String? = nil
            ) {
                self.companyAddress = companyAddress
                self.companyCity = companyCity
                self.companyName = companyName
                self.contactDetailID = contactDetailID
                self.contactEmail = contactEmail
                self.contactPerson = contactPerson
                self.countryID = countryID
                self.countrySubdivisionID = countrySubdivisionID
                self.createdAt = createdAt
                self.customerID = customerID
                self.isEuResident = isEuResident
                self.updatedAt = updatedAt
                self.userID = userID
                self.vatNumber = vatNumber
                self.vatNumberValid = vatNumberValid
                self.vatNumberValidatedAt = vatNumberValidatedAt
                self.zipCode = zipCode
            }

            enum CodingKeys: String, CodingKey {
                case companyAddress = "company_address"
                case companyCity = "company_city"
                case companyName = "company_name"
                case contactDetailID = "contact_detail_id"
                case contactEmail = "contact_email"
                case contactPerson = "contact_person"
                case countryID = "country_id"
                case countrySubdivisionID = "country_subdivision_id"
                case createdAt = "created_at"
                case customerID = "customer_id"
                case isEuResident = "is_eu_resident"
                case updatedAt = "updated_at"
                case userID = "user_id"
                case vatNumber = "vat_number"
                case vatNumberValid = "vat_number_valid"
                case vatNumberValidatedAt = "vat_number_validated_at"
                case zipCode = "zip_code"
            }
        }

        /// How the subscription is paid.
        public struct PaymentDetails: Codable, Sendable, Hashable {
            public var createdAt: TogglTimestamp?
            public var currency: String?
            public var customerID: Int64?
            public var paymentType: String?
            public var reference: String?
            public var userID: Int64?

            public init(
                createdAt: TogglTimestamp? = nil,
                currency: String? = nil,
                customerID: Int64? = nil,
                paymentType: String? = nil,
                reference: String? = nil,
                userID: Int64? = nil
            ) {
                self.createdAt = createdAt
                self.currency = currency
                self.customerID = customerID
                self.paymentType = paymentType
                self.reference = reference
                self.userID = userID
            }

            enum CodingKeys: String, CodingKey {
                case createdAt = "created_at"
                case currency
                case customerID = "customer_id"
                case paymentType = "payment_type"
                case reference
                case userID = "user_id"
            }
        }

        /// A billing period of the subscription.
        public struct SubscriptionPeriod: Codable, Sendable, Hashable {
            public var createdAt: TogglTimestamp?
            public var finishedOn: TogglTimestamp?
            public var startedOn: TogglTimestamp?
            public var subscriptionID: Int64?
            public var subscriptionPeriodID: Int64?
            public var trial: Bool?
            public var userCount: Int64?

            public init(
                createdAt: TogglTimestamp? = nil,
                finishedOn: TogglTimestamp? = nil,
                startedOn: TogglTimestamp? = nil,
                subscriptionID: Int64? = nil,
                subscriptionPeriodID: Int64? = nil,
                trial: Bool? = nil,
                userCount: Int64? = nil
            ) {
                self.createdAt = createdAt
                self.finishedOn = finishedOn
                self.startedOn = startedOn
                self.subscriptionID = subscriptionID
                self.subscriptionPeriodID = subscriptionPeriodID
                self.trial = trial
                self.userCount = userCount
            }

            enum CodingKeys: String, CodingKey {
                case createdAt = "created_at"
                case finishedOn = "finished_on"
                case startedOn = "started_on"
                case subscriptionID = "subscription_id"
                case subscriptionPeriodID = "subscription_period_id"
                case trial
                case userCount = "user_count"
            }
        }
    }

    /// Which fields a time entry must have in this workspace (`te_constraints`).
    public struct TimeEntryConstraints: Codable, Sendable, Hashable {
        public var descriptionPresent: Bool?
        public var projectPresent: Bool?
        public var tagPresent: Bool?
        public var taskPresent: Bool?
        public var timeEntryConstraintsEnabled: Bool?

        public init(
            descriptionPresent: Bool? = nil,
            projectPresent: Bool? = nil,
            tagPresent: Bool? = nil,
            taskPresent: Bool? = nil,
            timeEntryConstraintsEnabled: Bool? = nil
        ) {
            self.descriptionPresent = descriptionPresent
            self.projectPresent = projectPresent
            self.tagPresent = tagPresent
            self.taskPresent = taskPresent
            self.timeEntryConstraintsEnabled = timeEntryConstraintsEnabled
        }

        enum CodingKeys: String, CodingKey {
            case descriptionPresent = "description_present"
            case projectPresent = "project_present"
            case tagPresent = "tag_present"
            case taskPresent = "task_present"
            case timeEntryConstraintsEnabled = "time_entry_constraints_enabled"
        }
    }
}
