#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import TogglKit

/// What stdout and stderr are connected to, and writing to them.
///
/// Escape codes go only to a terminal: a file, a pipe or a CI log gets plain text, whatever
/// the data holds, so `toggl projects | grep` and logs never carry stray colour codes.
/// Output goes through write(2) on the descriptors (C's `stdout` is shared mutable state to
/// Swift 6): stdout is buffered here, stderr lines are written whole.
enum Terminal {
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Colour on stdout: only on a terminal, and never with NO_COLOR set (no-color.org: any
    /// non-empty value).
    static var stdoutUsesColour: Bool { stdoutIsTerminal && Environment.value("NO_COLOR") == nil }

    /// The width tables must fit: the terminal's columns when stdout is one (COLUMNS, then 80,
    /// when it does not say), nil otherwise: a pipe gets whole names.
    static func outputWidth() -> Int? {
        guard stdoutIsTerminal else { return nil }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = Environment.value("COLUMNS").flatMap({ Int($0) }), columns > 0 { return columns }
        return 80
    }

    private static let pending = Locked<[UInt8]>([])
    /// errno of the first failed write to stdout; nil while every write succeeded.
    private static let writeFailure = Locked<Int32?>(nil)

    static func write(_ text: String) {
        write(Array(text.utf8))
    }

    static func write(_ bytes: [UInt8]) {
        let full = pending.withLock { buffer in
            buffer += bytes
            return buffer.count >= 1 << 16
        }
        if full { flush() }
    }

    static func flush() {
        let bytes = pending.withLock { buffer in
            defer { buffer.removeAll(keepingCapacity: true) }
            return buffer
        }
        // After a failure the rest is dropped: the output is already incomplete, and retrying
        // a full disk for every chunk only repeats the error.
        guard writeFailure.withLock({ $0 }) == nil else { return }
        if let code = writeAll(bytes, to: STDOUT_FILENO) {
            writeFailure.withLock { if $0 == nil { $0 = code } }
        }
    }

    /// The one line for a failed write to stdout ("toggl: cannot write the output: No space
    /// left on device"), nil when all output was written. Call after the final flush.
    static func outputFailure() -> String? {
        writeFailure.withLock { $0 }.map { "cannot write the output: \(systemError($0))" }
    }

    /// The one line of an error or warning; stdout goes first so that the two keep their order
    /// when both reach the same terminal.
    static func printError(_ message: String) {
        Progress.clear()
        flush()
        writeAll(Array("toggl: \(message)\n".utf8), to: STDERR_FILENO)
    }

    /// Writes everything, or returns the errno of the write that failed. Failures on stderr are
    /// ignored by the callers: there is nowhere left to report them.
    ///
    /// SIGPIPE keeps the disposition the process inherited, as other Unix tools do: when the
    /// reader of a pipe goes away (`toggl projects | head -n 3`), the default action ends the
    /// process quietly at that write, which is what a shell expects. If the parent ignores
    /// SIGPIPE, the write fails with EPIPE instead, and that is reported like any other write
    /// error (exit 74), as coreutils do.
    @discardableResult
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return nil
    }
}

/// A line on stderr while a sync runs ("toggl: syncing…"), cleared when it ends; only when
/// stderr is a terminal, and without escape codes (spaces and a carriage return clear it).
enum Progress {
    private static let shownWidth = Locked(0)

    static func show(_ text: String) {
        guard Terminal.stderrIsTerminal else { return }
        let line = "toggl: \(text)"
        shownWidth.withLock { width in
            Terminal.writeAll(Array("\r\(line)".utf8), to: STDERR_FILENO)
            width = DisplayWidth.of(line)
        }
    }

    static func clear() {
        shownWidth.withLock { width in
            guard width > 0 else { return }
            Terminal.writeAll(Array(("\r" + String(repeating: " ", count: width) + "\r").utf8), to: STDERR_FILENO)
            width = 0
        }
    }
}

/// The environment, where an empty value counts as unset (`TOGGL_API_TOKEN= toggl …`).
enum Environment {
    static func value(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        let text = String(cString: raw)
        return text.isEmpty ? nil : text
    }
}
