import CTogglSupport
import TogglKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Library-wide exports: version, status names, the thread-local error, toggl_free.

@_cdecl("toggl_version")
public func toggl_version() -> UnsafePointer<CChar> {
    staticCString("0.1.0")
}

@_cdecl("toggl_status_string")
public func toggl_status_string(_ code: Int32) -> UnsafePointer<CChar> {
    switch code {
    case 0: staticCString("ok")
    case 1: staticCString("done")
    case -1: staticCString("invalid argument")
    case -2: staticCString("network error")
    case -3: staticCString("timeout")
    case -4: staticCString("authentication failed")
    case -5: staticCString("not found")
    case -6: staticCString("request rejected")
    case -7: staticCString("quota exceeded")
    case -8: staticCString("rate limited")
    case -9: staticCString("server error")
    case -10: staticCString("invalid response")
    case -11: staticCString("response too large")
    case -12: staticCString("internal error")
    default: staticCString("unknown status")
    }
}

@_cdecl("toggl_error_code")
public func toggl_error_code() -> Int32 { tgl_last_error_code() }

@_cdecl("toggl_error_message")
public func toggl_error_message() -> UnsafePointer<CChar>? { tgl_last_error_message() }

@_cdecl("toggl_error_http_status")
public func toggl_error_http_status() -> Int32 { tgl_last_error_http_status() }

@_cdecl("toggl_error_retry_after")
public func toggl_error_retry_after() -> Int64 { tgl_last_error_retry_after() }

@_cdecl("toggl_free")
public func toggl_free(_ pointer: UnsafeMutableRawPointer?) {
    free(pointer)
}

/// String literals live in the binary's read-only data for the life of the process.
private func staticCString(_ text: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
}
