import TogglKit

/// The process's exit status: sysexits(3), as argument-parser already uses 64 for usage errors,
/// so that a script can tell "try again later" (69, 75) from "fix something" (64, 73, 77).
/// DESIGN.md's table, written here once.
enum ExitCodes {
    static let ok: Int32 = 0
    /// EX_USAGE: a bad option or value, and `TOGGL_EINVAL`.
    static let usage: Int32 = 64
    /// EX_DATAERR: the server's answer was refused or unusable.
    static let data: Int32 = 65
    /// EX_UNAVAILABLE: the server cannot be reached or failed, or `--offline` forbids asking it.
    static let unavailable: Int32 = 69
    /// EX_SOFTWARE: a bug in libtoggl or this tool.
    static let software: Int32 = 70
    /// EX_CANTCREAT: the store file cannot be opened, created or written.
    static let cantCreate: Int32 = 73
    /// EX_IOERR: the output could not be written (a full disk, a closed file).
    static let ioError: Int32 = 74
    /// EX_TEMPFAIL: the quota or the rate limit; the same command works later.
    static let tempFail: Int32 = 75
    /// EX_NOPERM: credentials refused, missing or unsafe.
    static let noPermission: Int32 = 77
    /// 128 + SIGINT, what a shell reports for a command ended by Ctrl-C.
    static let interrupted: Int32 = 130

    static func exitCode(for code: TogglError.Code) -> Int32 {
        switch code {
        case .invalidArgument: usage
        case .decode, .tooLarge, .request, .notFound: data
        case .network, .timeout, .server: unavailable
        case .internal: software
        case .store: cantCreate
        case .quota, .rateLimited: tempFail
        case .auth: noPermission
        case .cancelled: interrupted
        }
    }
}
