import TogglKit

// One export per endpoint: check arguments, send through TogglKit, hand back the server's JSON.

/// Clears `*out`, sends the endpoint built by `endpoint`, and copies the raw JSON out.
private func jsonCall<Response>(_ client: OpaquePointer?, _ out: OutJSON?,
                                _ endpoint: () throws(TogglError) -> Endpoint<Response>) -> Int32 {
    out?.pointee = nil
    return LastError.status { () throws(TogglError) in
        guard let out else { throw TogglError(.invalidArgument, "out_json is NULL") }
        let togglClient = try Handles.client(client)
        let response = try togglClient.sendRaw(try endpoint())
        try copyOut(response.body, to: out)
        return 0
    }
}

@_cdecl("toggl_me_get")
public func toggl_me_get(_ client: OpaquePointer?, _ withRelatedData: Bool, _ out: OutJSON?) -> Int32 {
    jsonCall(client, out) { () throws(TogglError) in .me(withRelatedData: withRelatedData) }
}

@_cdecl("toggl_me_update")
public func toggl_me_update(_ client: OpaquePointer?, _ jsonObject: CString?, _ out: OutJSON?) -> Int32 {
    jsonCall(client, out) { () throws(TogglError) in
        try .updateMe(jsonObject: try Arguments.utf8Bytes(jsonObject, "json_object"))
    }
}

@_cdecl("toggl_me_logged")
public func toggl_me_logged(_ client: OpaquePointer?) -> Int32 {
    LastError.status { () throws(TogglError) in
        try Handles.client(client).logged()
        return 0
    }
}

@_cdecl("toggl_clients_list")
public func toggl_clients_list(_ client: OpaquePointer?, _ since: Int64, _ out: OutJSON?) -> Int32 {
    jsonCall(client, out) { () throws(TogglError) in .clients(since: try Arguments.since(since)) }
}

@_cdecl("toggl_features_list")
public func toggl_features_list(_ client: OpaquePointer?, _ out: OutJSON?) -> Int32 {
    jsonCall(client, out) { () throws(TogglError) in .features() }
}

@_cdecl("toggl_location_get")
public func toggl_location_get(_ client: OpaquePointer?, _ out: OutJSON?) -> Int32 {
    jsonCall(client, out) { () throws(TogglError) in .location() }
}

@_cdecl("toggl_organizations_list")
public func toggl_organizations_list(_ client: OpaquePointer?, _ out: OutJSON?) -> Int32 {
    jsonCall(client, out) { () throws(TogglError) in .organizations() }
}

@_cdecl("toggl_projects_list")
public func toggl_projects_list(_ client: OpaquePointer?, _ includeArchived: Bool, _ since: Int64,
                                _ out: OutJSON?) -> Int32 {
    jsonCall(client, out) { () throws(TogglError) in .projects(includeArchived: includeArchived, since: try Arguments.since(since)) }
}

@_cdecl("toggl_projects_list_paginated")
public func toggl_projects_list_paginated(_ client: OpaquePointer?, _ startProjectID: Int64, _ since: Int64,
                                          _ perPage: Int32, _ out: OutJSON?,
                                          _ outNextStartProjectID: UnsafeMutablePointer<Int64>?) -> Int32 {
    out?.pointee = nil
    outNextStartProjectID?.pointee = 0
    return LastError.status { () throws(TogglError) in
        guard let out, let outNextStartProjectID else {
            throw TogglError(.invalidArgument, "out_json and out_next_start_project_id must not be NULL")
        }
        let togglClient = try Handles.client(client)
        let request = try PageRequest.projects(since: try Arguments.since(since), perPage: Int(perPage))
        let page = try togglClient.rawPage(request, at: startProjectID)
        try copyOut(page.response.body, to: out)
        outNextStartProjectID.pointee = page.next ?? 0
        return 0
    }
}

@_cdecl("toggl_tags_list")
public func toggl_tags_list(_ client: OpaquePointer?, _ since: Int64, _ out: OutJSON?) -> Int32 {
    jsonCall(client, out) { () throws(TogglError) in .tags(since: try Arguments.since(since)) }
}

@_cdecl("toggl_tasks_list")
public func toggl_tasks_list(_ client: OpaquePointer?, _ meta: Bool, _ since: Int64, _ includeNotActive: Bool,
                             _ offset: Int64, _ perPage: Int32, _ out: OutJSON?) -> Int32 {
    jsonCall(client, out) { () throws(TogglError) in
        try .tasks(meta: meta, since: try Arguments.since(since), includeNotActive: includeNotActive,
                   offset: Int(offset), perPage: Int(perPage))
    }
}

@_cdecl("toggl_quota_get")
public func toggl_quota_get(_ client: OpaquePointer?, _ out: OutJSON?) -> Int32 {
    jsonCall(client, out) { () throws(TogglError) in .quota() }
}
