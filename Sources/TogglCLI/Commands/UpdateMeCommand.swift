import ArgumentParser
import TogglKit
import TogglStore

/// PUT /me with the fields given, checked here first so that a typo costs no request; then
/// the store's user row is refreshed (one GET /me), so that `toggl me` shows the change.
///
/// No password option: the tool authenticates with the API token only, and a password on a
/// command line (or in a script that runs this) is one more place for it to leak; the web app
/// changes it.
struct UpdateMeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update-me",
        abstract: "Change your profile (two requests: the change, and a refresh of the stored profile).",
        discussion: Help.examples(
            "toggl update-me --timezone Europe/Berlin --beginning-of-week 1",
            "toggl update-me --fullname 'Ada Lovelace' --json"))

    @Option(help: ArgumentHelp("Your display name (1 to 255 characters).", valueName: "name"))
    var fullname: String?

    @Option(help: ArgumentHelp("An IANA time zone, e.g. Europe/Berlin.", valueName: "zone"))
    var timezone: String?

    @Option(name: .customLong("beginning-of-week"),
            help: ArgumentHelp("The first day of your week: 0 Sunday, 1 Monday, … 6 Saturday.", valueName: "day"))
    var beginningOfWeek: Int?

    @Option(name: .customLong("country-id"), help: ArgumentHelp("A country id from Toggl's list.", valueName: "id"))
    var countryID: Int64?

    @Option(name: .customLong("default-workspace-id"),
            help: ArgumentHelp("The workspace new time entries go to (see toggl workspaces).", valueName: "id"))
    var defaultWorkspaceID: Int64?

    @Option(help: ArgumentHelp("A new login email.", valueName: "address"))
    var email: String?

    @OptionGroup var access: AccessOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard fullname != nil || timezone != nil || beginningOfWeek != nil || countryID != nil
            || defaultWorkspaceID != nil || email != nil else {
            throw ValidationError("nothing to change: give at least one of --fullname, --timezone, --beginning-of-week, --country-id, --default-workspace-id, --email")
        }
        if let fullname {
            let trimmed = fullname.trimmingWhitespace()
            guard !trimmed.isEmpty, fullname.count <= 255, !fullname.unicodeScalars.contains(where: \.isControlCharacter) else {
                throw ValidationError("--fullname must be 1 to 255 characters, not only spaces, without control characters")
            }
        }
        if let timezone, !Self.isTimeZone(timezone) {
            throw ValidationError("--timezone '\(Failure.oneLine(timezone))' is not an IANA time zone such as Europe/Berlin or UTC")
        }
        if let beginningOfWeek, !(0...6).contains(beginningOfWeek) {
            throw ValidationError("--beginning-of-week must be 0 (Sunday) to 6 (Saturday)")
        }
        if let countryID, countryID <= 0 { throw ValidationError("--country-id must be a positive id") }
        if let defaultWorkspaceID, defaultWorkspaceID <= 0 {
            throw ValidationError("--default-workspace-id must be a positive id (see toggl workspaces)")
        }
        if let email, !Self.isEmail(email) {
            throw ValidationError("--email '\(Failure.oneLine(email))' is not an email address")
        }
    }

    func run() throws {
        let session = Session(access: access)
        let update = MeUpdate(beginningOfWeek: beginningOfWeek, countryID: countryID, defaultWorkspaceID: defaultWorkspaceID,
                              email: email, fullname: fullname, timezone: timezone)
        try session.checkQuotaGate()
        _ = try session.send { (client) throws(TogglError) -> User in try client.updateMe(update) }
        let store = try session.store()
        let client = try session.client()
        do {
            try store.refreshUser(with: client)
        } catch {
            // The change is made; only the stored copy is behind.
            throw Failure(ExitCodes.exitCode(for: error.code),
                          "your profile was changed, but the stored copy was not refreshed: \(Failure.describe(error)); 'toggl me --refresh' shows the change")
        }
        let read = ReadThrough(store: store, collection: .user, deferred: nil)
        if output.format == .json {
            // As stored: without api_token.
            Printer.json(try read.read { try $0.json(.user) })
        } else if let user = try read.read({ try $0.user() }) {
            Printer.show(.user(user), as: output.format)
        }
    }

    /// IANA names: "UTC", "Area/Location[/More]" of letters, digits, "_", "-", "+". Where the
    /// system has its time zone database, the name must be in it.
    static func isTimeZone(_ name: String) -> Bool {
        guard !name.isEmpty, name.count <= 64, !name.hasPrefix("/"), !name.hasSuffix("/"), !name.contains("..") else { return false }
        guard name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)
                || "/_-+".unicodeScalars.contains($0)) }) else { return false }
        let database = "/usr/share/zoneinfo"
        guard StoreLocation.exists(database + "/UTC") else { return true }
        return StoreLocation.exists(database + "/" + name)
    }

    /// "local@domain.tld", one "@", no spaces: what the API accepts.
    static func isEmail(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, address.count <= 254,
              !address.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.isControlCharacter }) else { return false }
        let domain = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return domain.count >= 2 && domain.allSatisfy { !$0.isEmpty }
    }
}
