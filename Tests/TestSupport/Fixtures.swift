#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads test fixtures from `Tests/TogglKitTests/Fixtures/` (also the fuzz seeds) without
/// Foundation or `Bundle`: the directory is found from this source file's own path.
public enum Fixtures {
    public struct ReadError: Error, CustomStringConvertible {
        let path: String
        let errno: Int32
        public var description: String { "cannot read fixture \(path) (errno \(errno))" }
    }

    /// `…/Tests/TogglKitTests/Fixtures`, derived from `…/Tests/TestSupport/Fixtures.swift`.
    public static var directory: String {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(2)  // "TestSupport", "Fixtures.swift"
        return parts.joined(separator: "/") + "/TogglKitTests/Fixtures"
    }

    /// The bytes of `Fixtures/<name>` (`name` may contain a subdirectory, e.g. `edge/me_full.json`).
    public static func bytes(_ name: String) throws -> [UInt8] {
        let path = directory + "/" + name
        guard let file = fopen(path, "rb") else { throw ReadError(path: path, errno: errno) }
        defer { fclose(file) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            result.append(contentsOf: chunk[0..<count])
            if count < chunk.count {
                if ferror(file) != 0 { throw ReadError(path: path, errno: errno) }
                break
            }
        }
        return result
    }

    /// The fixture as text.
    public static func string(_ name: String) throws -> String {
        String(decoding: try bytes(name), as: UTF8.self)
    }
}
