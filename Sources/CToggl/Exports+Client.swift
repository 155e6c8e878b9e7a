import TogglKit

// Client lifecycle and configuration.

@_cdecl("toggl_client_new")
public func toggl_client_new(_ apiToken: CString?) -> OpaquePointer? {
    newClient { () throws(TogglError) in .apiToken(try Arguments.string(apiToken, "api_token")) }
}

@_cdecl("toggl_client_new_with_password")
public func toggl_client_new_with_password(_ email: CString?, _ password: CString?) -> OpaquePointer? {
    newClient { () throws(TogglError) in
        .emailPassword(email: try Arguments.string(email, "email"), password: try Arguments.string(password, "password"))
    }
}

/// The 0.1 name, kept as an alias: token authentication is HTTP Basic too, so "basic" misled.
@_cdecl("toggl_client_new_basic")
public func toggl_client_new_basic(_ email: CString?, _ password: CString?) -> OpaquePointer? {
    toggl_client_new_with_password(email, password)
}

private func newClient(_ authentication: () throws(TogglError) -> TogglConfiguration.Authentication) -> OpaquePointer? {
    do {
        let client = try TogglClient(configuration: TogglConfiguration(authentication: try authentication()))
        LastError.succeed()
        return Handles.open(ClientHandle(client))
    } catch {
        LastError.fail(error)
        return nil
    }
}

@_cdecl("toggl_client_free")
public func toggl_client_free(_ client: OpaquePointer?) {
    Handles.close(client, as: ClientHandle.self)
}

/// Applies one configuration change; an invalid value leaves the client as it was. The setters
/// only convert C types: every range is checked once, by `TogglConfiguration`.
private func configure(_ client: OpaquePointer?,
                       _ change: () throws(TogglError) -> (inout TogglConfiguration) -> Void) -> Int32 {
    LastError.status { () throws(TogglError) in
        let togglClient = try Handles.client(client)
        try togglClient.reconfigure(try change())
        return 0
    }
}

@_cdecl("toggl_client_set_base_url")
public func toggl_client_set_base_url(_ client: OpaquePointer?, _ url: CString?) -> Int32 {
    configure(client) { () throws(TogglError) in
        let text = try Arguments.string(url, "url")
        return { $0.baseURL = text }
    }
}

@_cdecl("toggl_client_set_timeout_ms")
public func toggl_client_set_timeout_ms(_ client: OpaquePointer?, _ totalMilliseconds: Int) -> Int32 {
    configure(client) { () throws(TogglError) in
        let timeout = Arguments.milliseconds(totalMilliseconds)
        return { $0.timeout = timeout }
    }
}

@_cdecl("toggl_client_set_connect_timeout_ms")
public func toggl_client_set_connect_timeout_ms(_ client: OpaquePointer?, _ milliseconds: Int) -> Int32 {
    configure(client) { () throws(TogglError) in
        let timeout = Arguments.milliseconds(milliseconds)
        return { $0.connectTimeout = timeout }
    }
}

@_cdecl("toggl_client_set_max_retries")
public func toggl_client_set_max_retries(_ client: OpaquePointer?, _ retries: Int32) -> Int32 {
    configure(client) { () throws(TogglError) in
        { $0.maxRetries = Int(retries) }
    }
}

@_cdecl("toggl_client_set_user_agent")
public func toggl_client_set_user_agent(_ client: OpaquePointer?, _ userAgent: CString?) -> Int32 {
    configure(client) { () throws(TogglError) in
        let text = try Arguments.string(userAgent, "user_agent")
        return { $0.userAgent = text }
    }
}

@_cdecl("toggl_client_set_ca_file")
public func toggl_client_set_ca_file(_ client: OpaquePointer?, _ path: CString?) -> Int32 {
    configure(client) { () throws(TogglError) in
        let text = try Arguments.string(path, "path")
        return { $0.caFile = text }
    }
}

@_cdecl("toggl_client_set_max_response_bytes")
public func toggl_client_set_max_response_bytes(_ client: OpaquePointer?, _ bytes: Int64) -> Int32 {
    configure(client) { () throws(TogglError) in
        { $0.maxResponseBytes = bytes }
    }
}

@_cdecl("toggl_client_set_quota_fail_fast")
public func toggl_client_set_quota_fail_fast(_ client: OpaquePointer?, _ enabled: Bool) -> Int32 {
    configure(client) { () throws(TogglError) in { $0.failFastWhenQuotaExhausted = enabled } }
}

@_cdecl("toggl_client_set_low_speed_limit")
public func toggl_client_set_low_speed_limit(_ client: OpaquePointer?, _ bytesPerSecond: Int, _ seconds: Int) -> Int32 {
    configure(client) { () throws(TogglError) in
        // 0 turns the limit off (the header's conversion); TogglConfiguration checks the rest.
        if bytesPerSecond == 0 { return { $0.lowSpeedLimit = nil } }
        let limit = LowSpeedLimit(bytesPerSecond: bytesPerSecond, duration: .seconds(Int64(seconds)))
        return { $0.lowSpeedLimit = limit }
    }
}

@_cdecl("toggl_client_quota")
public func toggl_client_quota(_ client: OpaquePointer?, _ remaining: UnsafeMutablePointer<Int64>?,
                               _ resetsInSeconds: UnsafeMutablePointer<Int64>?) -> Int32 {
    LastError.status { () throws(TogglError) in
        guard let remaining, let resetsInSeconds else {
            throw TogglError(.invalidArgument, "remaining and resets_in_s must not be NULL")
        }
        let status = try Handles.client(client).lastQuota
        remaining.pointee = status?.remaining ?? -1
        resetsInSeconds.pointee = status?.secondsUntilReset() ?? -1
        return 0
    }
}

@_cdecl("toggl_client_cancel")
public func toggl_client_cancel(_ client: OpaquePointer?) -> Int32 {
    LastError.status { () throws(TogglError) in
        try Handles.client(client).cancel()
        return 0
    }
}
