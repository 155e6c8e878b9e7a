/// The user's last known IP-based location: GET /me/location (which may answer with no body at all).
public struct Location: Codable, Sendable, Hashable {
    public var city: String?
    /// Both coordinates in one string (`"59.4370,24.7536"`).
    public var cityLatLong: String?
    public var countryCode: String?
    public var countryName: String?
    public var state: String?

    public init(
        city: String? = nil,
        cityLatLong: String? = nil,
        countryCode: String? = nil,
        countryName: String? = nil,
        state: String? = nil
    ) {
        self.city = city
        self.cityLatLong = cityLatLong
        self.countryCode = countryCode
        self.countryName = countryName
        self.state = state
    }

    enum CodingKeys: String, CodingKey {
        case city
        case cityLatLong = "city_lat_long"
        case countryCode = "country_code"
        case countryName = "country_name"
        case state
    }
}
