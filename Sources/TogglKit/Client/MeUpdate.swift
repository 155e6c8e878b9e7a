/// The fields PUT /me accepts; those left nil are not sent.
public struct MeUpdate: Sendable, Hashable {
    /// 0 = Sunday, 1 = Monday, …
    public var beginningOfWeek: Int?
    /// A country id from the Toggl reference list.
    public var countryID: Int64?
    /// Required by the server to change `password`.
    public var currentPassword: String?
    /// The workspace new time entries go to.
    public var defaultWorkspaceID: Int64?
    /// A new login email (the server may ask for the current password).
    public var email: String?
    /// The display name.
    public var fullname: String?
    /// A new password; needs `currentPassword`. Never shown in an error message.
    public var password: String?
    /// An IANA time zone name, e.g. `Europe/Berlin`.
    public var timezone: String?

    /// Only the fields given are sent; at least one should be.
    public init(beginningOfWeek: Int? = nil, countryID: Int64? = nil, currentPassword: String? = nil,
                defaultWorkspaceID: Int64? = nil, email: String? = nil, fullname: String? = nil,
                password: String? = nil, timezone: String? = nil) {
        self.beginningOfWeek = beginningOfWeek
        self.countryID = countryID
        self.currentPassword = currentPassword
        self.defaultWorkspaceID = defaultWorkspaceID
        self.email = email
        self.fullname = fullname
        self.password = password
        self.timezone = timezone
    }

    /// The keys of a PUT /me body whose values are secrets.
    static let secretKeys: Set<String> = ["current_password", "password"]

    private enum Value {
        case integer(Int64)
        case string(String)
    }

    /// Every field PUT /me accepts, by the key it is sent as: the one list of them. The header's
    /// and the Python binding's lists are checked against `fieldNames` by a test.
    private var fields: [(key: String, value: Value?)] {
        [
            ("beginning_of_week", beginningOfWeek.map { .integer(Int64($0)) }),
            ("country_id", countryID.map { .integer($0) }),
            ("current_password", currentPassword.map { .string($0) }),
            ("default_workspace_id", defaultWorkspaceID.map { .integer($0) }),
            ("email", email.map { .string($0) }),
            ("fullname", fullname.map { .string($0) }),
            ("password", password.map { .string($0) }),
            ("timezone", timezone.map { .string($0) }),
        ]
    }

    /// The keys PUT /me accepts, in the order they are sent.
    static var fieldNames: [String] { MeUpdate().fields.map(\.key) }

    /// The JSON object sent as the request body: the fields that are set, nothing else.
    func jsonBody() -> [UInt8] {
        var writer = JSONObjectWriter()
        for (key, value) in fields {
            switch value {
            case .integer(let number): writer.set(key, number)
            case .string(let text): writer.set(key, text)
            case nil: break
            }
        }
        return writer.bytes()
    }
}
