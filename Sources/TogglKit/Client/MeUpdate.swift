import CJansson

/// The fields PUT /me accepts; those left nil are not sent.
public struct MeUpdate: Sendable, Hashable {
    /// 0 = Sunday, 1 = Monday, …
    public var beginningOfWeek: Int?
    public var countryID: Int64?
    /// Required by the server to change `password`.
    public var currentPassword: String?
    public var defaultWorkspaceID: Int64?
    public var email: String?
    public var fullname: String?
    public var password: String?
    public var timezone: String?

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

    /// The JSON object sent as the request body, encoded by jansson.
    func jsonBody() -> [UInt8] {
        guard let object = json_object() else { return Array("{}".utf8) }
        defer { toggl_json_decref(object) }
        func put(_ key: String, _ value: UnsafeMutablePointer<json_t>?) {
            _ = json_object_set_new(object, key, value)
        }
        func put(_ key: String, _ text: String?) {
            guard let text else { return }
            let utf8 = Array(text.utf8)
            put(key, utf8.isEmpty ? json_string("") : utf8.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { json_stringn($0.baseAddress, $0.count) }
            })
        }
        if let beginningOfWeek { put("beginning_of_week", json_integer(json_int_t(beginningOfWeek))) }
        if let countryID { put("country_id", json_integer(countryID)) }
        put("current_password", currentPassword)
        if let defaultWorkspaceID { put("default_workspace_id", json_integer(defaultWorkspaceID)) }
        put("email", email)
        put("fullname", fullname)
        put("password", password)
        put("timezone", timezone)
        return JSONDocument.dump(object)
    }
}
