import ArgumentParser

/// How old an answer from the store may be before a command asks the server.
struct FreshnessOptions: ParsableArguments {
    @Option(name: .customLong("max-age"),
            help: ArgumentHelp("Answer from the store when it was refreshed less than this long ago: seconds, or 30s, 15m, 2h, 1d; 0 always refreshes.",
                               valueName: "age"))
    var maxAge = Age.defaultMaxAge

    @Flag(help: "Refresh now, whatever the age.")
    var refresh = false

    @Flag(help: "Send no request: answer from the store as it is.")
    var offline = false

    func validate() throws {
        if refresh && offline { throw ValidationError("--refresh and --offline cannot be combined; pick one") }
    }

    /// Seconds a collection may have been refreshed ago and still count as fresh.
    var effectiveMaxAge: Int64 { refresh ? 0 : maxAge.seconds }
}

/// `--offline` alone, for the commands whose answer the store does not keep.
struct OfflineOption: ParsableArguments {
    @Flag(help: "Send no request (this command then fails: the store does not keep its answer).")
    var offline = false
}

/// A span given as seconds ("900") or with a unit ("30s", "15m", "2h", "1d").
struct Age: ExpressibleByArgument, Sendable {
    var seconds: Int64

    static let defaultMaxAge = Age(seconds: 15 * 60)

    init(seconds: Int64) {
        self.seconds = seconds
    }

    init?(argument: String) {
        let text = argument.lowercased()
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 12, let number = Int64(digits) else { return nil }
        let unit: Int64
        switch text.dropFirst(digits.count) {
        case "", "s", "sec": unit = 1
        case "m", "min": unit = 60
        case "h": unit = 3600
        case "d": unit = 86_400
        default: return nil
        }
        seconds = number * unit
    }

    var defaultValueDescription: String {
        seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds)"
    }
}
