import TogglKit

/// Why a command stopped: the one line printed after `toggl: ` and the exit status.
///
/// Every message says what happened and, where something can be done, what to do, in one
/// line: a script logs stderr line by line, and a person reads only the first one.
struct Failure: Error {
    var exitCode: Int32
    var message: String

    init(_ exitCode: Int32, _ message: String) {
        self.exitCode = exitCode
        self.message = message
    }

    /// A library error in words a person at a terminal can act on. The library's messages
    /// never hold a secret, so they may be quoted.
    init(_ error: TogglError) {
        self.init(ExitCodes.exitCode(for: error.code), Self.describe(error))
    }

    static func describe(_ error: TogglError) -> String {
        let detail = oneLine(error.message)
        let status = error.httpStatus.map { " (HTTP \($0))" } ?? ""
        switch error.code {
        case .quota:
            guard let seconds = error.retryAfterSeconds else { return "the hourly API quota is spent; try again later" }
            return "quota spent; " + TimeText.resetsIn(seconds: seconds)
        case .rateLimited:
            let wait = error.retryAfterSeconds.map { "try again in \(TimeText.span(seconds: $0))" } ?? "try again in a minute"
            return "rate limited by the server; \(wait)"
        case .network:
            return "cannot reach the server: \(detail); check the network connection or TOGGL_BASE_URL"
        case .timeout:
            return "the server did not answer in time: \(detail); try again later"
        case .server:
            return "the server failed: \(detail)\(status); try again later"
        case .auth:
            return "the server refused the API token\(status); check TOGGL_API_TOKEN or --token-file (Toggl Track → Profile settings → API Token)"
        case .notFound:
            return "not found: \(detail)\(status)"
        case .request:
            return "the server refused the request: \(detail)\(status)"
        case .decode:
            return "the server's answer is not what the API documents: \(detail)"
        case .tooLarge:
            return "the server's answer is too large: \(detail)"
        case .internal:
            return "internal error: \(detail); please report it"
        case .cancelled:
            return "cancelled"
        case .store:
            return "\(detail) (TOGGL_STORE picks another file)"
        case .invalidArgument:
            return detail
        }
    }

    /// Messages can quote a server: no line breaks or control characters (bidi controls too, see
    /// `Unicode.Scalar.isControlCharacter`) reach the terminal.
    static func oneLine(_ text: String) -> String {
        var line = ""
        var lastWasSpace = false
        for scalar in text.unicodeScalars {
            if scalar.isControlCharacter || scalar == " " {
                if !lastWasSpace, !line.isEmpty { line.append(" ") }
                lastWasSpace = true
            } else {
                line.unicodeScalars.append(scalar)
                lastWasSpace = false
            }
        }
        while line.hasSuffix(" ") { line.removeLast() }
        return line
    }
}
