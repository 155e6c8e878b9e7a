import TogglKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public typealias CString = UnsafePointer<CChar>
public typealias OutJSON = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

/// Converts C arguments to Swift values, rejecting what the contract calls a bad argument.
enum Arguments {
    /// A NUL-terminated string that must be valid UTF-8.
    static func string(_ pointer: CString?, _ name: String) throws(TogglError) -> String {
        guard let pointer else { throw TogglError(.invalidArgument, "\(name) is NULL") }
        let bytes = UnsafeBufferPointer(start: pointer, count: strlen(pointer))
        guard let text = bytes.withMemoryRebound(to: UInt8.self, { String(validating: $0, as: UTF8.self) }) else {
            throw TogglError(.invalidArgument, "\(name) is not valid UTF-8")
        }
        return text
    }

    /// The bytes of a NUL-terminated string that must be valid UTF-8 (a JSON body, kept byte for byte).
    static func utf8Bytes(_ pointer: CString?, _ name: String) throws(TogglError) -> [UInt8] {
        Array(try string(pointer, name).utf8)
    }

    /// `since` <= 0 means "not sent" (as everywhere, see `QueryBuilder`); past the year 9999 it is
    /// a caller error, not a clamp.
    static func since(_ seconds: Int64) throws(TogglError) -> TogglTimestamp? {
        guard seconds > 0 else { return nil }
        guard seconds <= TogglTimestamp.representableSeconds.upperBound else {
            throw TogglError(.invalidArgument,
                             "since must be at most \(TogglTimestamp.representableSeconds.upperBound) (the end of the year 9999)")
        }
        return TogglTimestamp(secondsSinceEpoch: seconds)
    }

    /// A C `long` of milliseconds (the range is TogglConfiguration's to check).
    static func milliseconds(_ value: Int) -> Duration {
        .milliseconds(Int64(value))
    }
}

/// Hands `bytes` to the caller as a malloc'd NUL-terminated string that `toggl_free` releases.
func copyOut(_ bytes: [UInt8], to out: OutJSON) throws(TogglError) {
    guard let memory = malloc(bytes.count + 1) else { throw TogglError(.internal, "out of memory") }
    let text = memory.bindMemory(to: CChar.self, capacity: bytes.count + 1)
    bytes.withUnsafeBytes { source in
        if let base = source.baseAddress { memcpy(text, base, bytes.count) }
    }
    text[bytes.count] = 0
    out.pointee = text
}
