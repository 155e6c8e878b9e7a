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
    versionString
}

@_cdecl("toggl_version_number")
public func toggl_version_number() -> Int32 {
    Int32(TogglVersion.number)
}

@_cdecl("toggl_status_string")
public func toggl_status_string(_ code: Int32) -> UnsafePointer<CChar> {
    statusNames[code] ?? staticCString("unknown status")
}

// Both tables below are immutable once made (Swift initialises a global once, thread-safely);
// the pointers are read-only C strings, so sharing them across threads is safe.

/// `TogglVersion.string` as a C string, made on first use and never freed.
nonisolated(unsafe) private let versionString: UnsafePointer<CChar> =
    strdup(TogglVersion.string).map { UnsafePointer($0) } ?? staticCString("")

/// The name of every status, made once from `TogglError.Code` (the table's one home) plus the
/// two non-errors. The strings are never freed: `toggl_status_string` hands out static pointers.
nonisolated(unsafe) private let statusNames: [Int32: UnsafePointer<CChar>] = {
    var names: [Int32: UnsafePointer<CChar>] = [0: staticCString("ok"), 1: staticCString("done")]
    for code in TogglError.Code.allCases {
        if let name = strdup(code.name) { names[code.rawValue] = UnsafePointer(name) }
    }
    return names
}()

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
