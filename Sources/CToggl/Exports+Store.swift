import TogglKit
import TogglStore

// The store (toggl_store_*): a TogglStore behind an opaque pointer.

/// What a `toggl_store *` points at.
final class StoreHandle {
    let store: TogglStore
    init(_ store: TogglStore) { self.store = store }
}

extension Handles {
    static func store(_ pointer: OpaquePointer?) throws(TogglError) -> TogglStore {
        guard let pointer else { throw TogglError(.invalidArgument, "store is NULL") }
        return Unmanaged<StoreHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue().store
    }
}

/// The collection names of `toggl_store_get` and `toggl_store_age`.
private func collection(_ name: CString?) throws(TogglError) -> StoreCollection {
    let text = try Arguments.string(name, "collection")
    guard let collection = StoreCollection(rawValue: text) else {
        throw TogglError(.invalidArgument, "unknown collection \"\(text.prefix(64))\"; one of "
                         + StoreCollection.allCases.map(\.rawValue).joined(separator: ", "))
    }
    return collection
}

@_cdecl("toggl_store_open")
public func toggl_store_open(_ path: CString?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    out?.pointee = nil
    return LastError.status { () throws(TogglError) in
        guard let out else { throw TogglError(.invalidArgument, "out_store is NULL") }
        let path = path == nil ? nil : try Arguments.string(path, "path")
        out.pointee = Handles.open(StoreHandle(try TogglStore(path: path)))
        return 0
    }
}

@_cdecl("toggl_store_free")
public func toggl_store_free(_ store: OpaquePointer?) {
    Handles.close(store, as: StoreHandle.self)
}

@_cdecl("toggl_store_sync")
public func toggl_store_sync(_ store: OpaquePointer?, _ client: OpaquePointer?, _ flags: UInt32, _ maxAge: Int64,
                             _ out: OutJSON?) -> Int32 {
    out?.pointee = nil
    return LastError.status { () throws(TogglError) in
        let store = try Handles.store(store)
        let client = try Handles.client(client)
        let report = try store.sync(with: client, options: SyncOptions(rawValue: flags), maxAge: maxAge)
        if let out { try copyOut(Array(report.json.utf8), to: out) }
        return 0
    }
}

@_cdecl("toggl_store_get")
public func toggl_store_get(_ store: OpaquePointer?, _ name: CString?, _ flags: UInt32, _ out: OutJSON?) -> Int32 {
    out?.pointee = nil
    return LastError.status { () throws(TogglError) in
        guard let out else { throw TogglError(.invalidArgument, "out_json is NULL") }
        let store = try Handles.store(store)
        let collection = try collection(name)
        guard flags & ~1 == 0 else { throw TogglError(.invalidArgument, "unknown read flags 0x\(String(flags & ~1, radix: 16))") }
        try copyOut(try store.json(collection, activeOnly: flags & 1 != 0), to: out)
        return 0
    }
}

@_cdecl("toggl_store_age")
public func toggl_store_age(_ store: OpaquePointer?, _ name: CString?, _ out: UnsafeMutablePointer<Int64>?) -> Int32 {
    out?.pointee = -1
    return LastError.status { () throws(TogglError) in
        guard let out else { throw TogglError(.invalidArgument, "out_age_s is NULL") }
        out.pointee = try Handles.store(store).age(of: try collection(name)) ?? -1
        return 0
    }
}

@_cdecl("toggl_store_quota")
public func toggl_store_quota(_ store: OpaquePointer?, _ remaining: UnsafeMutablePointer<Int64>?,
                              _ resetsIn: UnsafeMutablePointer<Int64>?) -> Int32 {
    remaining?.pointee = -1
    resetsIn?.pointee = -1
    return LastError.status { () throws(TogglError) in
        let quota = try Handles.store(store).quota()
        remaining?.pointee = quota.remaining ?? -1
        resetsIn?.pointee = quota.resetsInSeconds ?? -1
        return 0
    }
}
