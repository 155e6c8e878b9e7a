#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import TogglKit

/// The API token: from `--token-file PATH`, else `TOGGL_API_TOKEN`. Never from an argument,
/// never echoed, and a file others can read is refused before it is read, as ssh refuses keys.
enum Credentials {
    static let whereToGetOne = "copy it from Toggl Track → Profile settings → API Token"

    static func authentication(tokenFile: String?) throws(Failure) -> TogglConfiguration.Authentication {
        if let tokenFile { return .apiToken(try read(tokenFile)) }
        if let token = Environment.value("TOGGL_API_TOKEN") { return .apiToken(token) }
        throw Failure(ExitCodes.noPermission,
                      "no API token: \(whereToGetOne), then set TOGGL_API_TOKEN or put it in a file only you can read and pass --token-file PATH")
    }

    /// The longest token file read: a token is 32 characters; anything this long is not one.
    static let maximumFileSize = 64 * 1024

    /// The file's one line. Checked on the open descriptor, so the file checked is the file read.
    /// O_NONBLOCK: opening a FIFO (or a device) for reading would wait for a writer forever;
    /// non-blocking, the open returns at once and the regular-file check refuses it. O_NOCTTY:
    /// a terminal device must never become the controlling terminal.
    static func read(_ path: String) throws(Failure) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard descriptor >= 0 else {
            throw Failure(ExitCodes.noPermission, "cannot read the token file '\(path)': \(systemError()); \(whereToGetOne) and save it there")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw Failure(ExitCodes.noPermission, "cannot read the token file '\(path)': \(systemError())")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw Failure(ExitCodes.noPermission, "the token file '\(path)' is not a regular file")
        }
        let permissions = info.st_mode & 0o777
        guard permissions & 0o077 == 0 else {
            throw Failure(ExitCodes.noPermission,
                          "permissions \(octal(permissions)) for '\(path)' are too open: others can read the API token; run chmod 600 '\(path)'")
        }
        // One byte past the limit is read, so that a longer file is refused, never cut short.
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count <= maximumFileSize {
            let wanted = min(chunk.count, maximumFileSize + 1 - bytes.count)
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, wanted) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else {
                throw Failure(ExitCodes.noPermission, "cannot read the token file '\(path)': \(systemError())")
            }
            if count == 0 { break }
            bytes += chunk.prefix(count)
        }
        guard bytes.count <= maximumFileSize else {
            throw Failure(ExitCodes.noPermission,
                          "the token file '\(path)' is larger than 64 KiB; it must hold only the API token")
        }
        var text = String(decoding: bytes, as: UTF8.self)
        // A byte order mark, as some Windows editors write, is not part of the token.
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        let token = text.trimmingWhitespace()
        guard !token.isEmpty else {
            throw Failure(ExitCodes.noPermission, "the token file '\(path)' is empty; \(whereToGetOne) and save it there")
        }
        guard !token.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) else {
            throw Failure(ExitCodes.noPermission, "the token file '\(path)' holds more than one line; it must hold only the API token")
        }
        return token
    }

    private static func octal(_ mode: mode_t) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

func systemError(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
