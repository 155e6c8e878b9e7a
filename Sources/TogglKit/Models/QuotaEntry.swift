/// The remaining request quota for one organization: an element of GET /me/quota.
public struct QuotaEntry: Codable, Sendable, Hashable {
    /// Null for the quota of requests that are not about an organization.
    public var organizationID: Int64?
    public var remaining: Int64?
    public var resetsInSecs: Int64?
    public var total: Int64?

    public init(
        organizationID: Int64? = nil,
        remaining: Int64? = nil,
        resetsInSecs: Int64? = nil,
        total: Int64? = nil
    ) {
        self.organizationID = organizationID
        self.remaining = remaining
        self.resetsInSecs = resetsInSecs
        self.total = total
    }

    enum CodingKeys: String, CodingKey {
        case organizationID = "organization_id"
        case remaining
        case resetsInSecs = "resets_in_secs"
        case total
    }
}
