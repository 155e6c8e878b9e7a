import TogglKit

/// What a `toggl_client *` points at.
final class ClientHandle {
    let client: TogglClient
    init(_ client: TogglClient) { self.client = client }
}

/// What a `toggl_pager *` points at. Used by one thread at a time, as the header says.
final class PagerHandle {
    var pages: RawPageIterator
    init(_ pages: RawPageIterator) { self.pages = pages }
}

enum Handles {
    static func open<T: AnyObject>(_ object: T) -> OpaquePointer {
        OpaquePointer(Unmanaged.passRetained(object).toOpaque())
    }

    static func client(_ pointer: OpaquePointer?) throws(TogglError) -> TogglClient {
        guard let pointer else { throw TogglError(.invalidArgument, "client is NULL") }
        return Unmanaged<ClientHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue().client
    }

    static func pager(_ pointer: OpaquePointer?) throws(TogglError) -> PagerHandle {
        guard let pointer else { throw TogglError(.invalidArgument, "pager is NULL") }
        return Unmanaged<PagerHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }

    static func close<T: AnyObject>(_ pointer: OpaquePointer?, as type: T.Type) {
        guard let pointer else { return }
        Unmanaged<T>.fromOpaque(UnsafeRawPointer(pointer)).release()
    }
}
