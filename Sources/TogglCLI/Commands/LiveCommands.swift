import ArgumentParser
import TogglKit

// The commands whose answers the store does not keep: each sends one request, and fails
// (exit 69) under --offline rather than show nothing.

struct OrganizationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "organizations",
        abstract: "List the organizations you belong to (one request).",
        discussion: Help.examples("toggl organizations", "toggl organizations --json"))

    @OptionGroup var access: AccessOptions
    @OptionGroup var offline: OfflineOption
    @OptionGroup var output: OutputOptions

    func run() throws {
        let body = try Live.fetch(.organizations(), command: "organizations", offline: offline, access: access)
        if output.format == .json { return Printer.json(body) }
        Printer.show(.organizations(try Live.decode([Organization].self, body)), as: output.format)
    }
}

struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "List the features of each of your workspaces (one request).",
        discussion: Help.examples("toggl features", "toggl features --csv | grep ,false"))

    @OptionGroup var access: AccessOptions
    @OptionGroup var offline: OfflineOption
    @OptionGroup var output: OutputOptions

    func run() throws {
        let body = try Live.fetch(.features(), command: "features", offline: offline, access: access)
        if output.format == .json { return Printer.json(body) }
        Printer.show(.features(try Live.decode([WorkspaceFeatures].self, body)), as: output.format)
    }
}

struct LocationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "location",
        abstract: "Show where the server places you (one request).",
        discussion: Help.examples("toggl location", "toggl location --json   # null when the server does not know"))

    @OptionGroup var access: AccessOptions
    @OptionGroup var offline: OfflineOption
    @OptionGroup var output: OutputOptions

    func run() throws {
        let body = try Live.fetch(.location(), command: "location", offline: offline, access: access)
        if output.format == .json { return Printer.json(body) }
        Printer.show(.location(try Live.decode(Location?.self, body)), as: output.format)
    }
}

struct QuotaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quota",
        abstract: "Ask the server how many requests are left this hour (one request).",
        discussion: Help.examples("toggl quota", "toggl status        # the quota as last seen, sending nothing"))

    @OptionGroup var access: AccessOptions
    @OptionGroup var offline: OfflineOption
    @OptionGroup var output: OutputOptions

    func run() throws {
        let body = try Live.fetch(.quota(), command: "quota", offline: offline, access: access)
        if output.format == .json { return Printer.json(body) }
        Printer.show(.quota(try Live.decode([QuotaEntry].self, body)), as: output.format)
    }
}

struct LoggedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logged",
        abstract: "Check that the API token works (one request; exit 77 when it does not).",
        discussion: Help.examples("toggl logged && echo ok"))

    @OptionGroup var access: AccessOptions
    @OptionGroup var offline: OfflineOption
    @OptionGroup var output: OutputOptions

    func run() throws {
        _ = try Live.fetch(.logged(), command: "logged", offline: offline, access: access)
        // The server answers with an empty body: the status is the answer.
        switch output.format {
        case .json:
            Printer.json("true")
        case .csv:
            var listing = Listing([.init(title: "LOGGED", key: "logged")])
            listing.append([.flag(true)])
            Printer.show(listing, as: .csv)
        case .table:
            Terminal.write("logged in: the API token works\n")
        }
    }
}

enum Live {
    /// One request, after the store's quota gate; the body as the server sent it.
    static func fetch<Response>(_ endpoint: Endpoint<Response>, command: String, offline: OfflineOption,
                                access: AccessOptions) throws(Failure) -> [UInt8] {
        if offline.offline {
            throw Failure(ExitCodes.unavailable,
                          "--offline, but the store does not keep '\(command)': it is always asked of the server; run 'toggl \(command)' without --offline")
        }
        let session = Session(access: access)
        _ = try session.client()
        try session.checkQuotaGate()
        return try session.send { (client) throws(TogglError) -> [UInt8] in try client.sendRaw(endpoint).body }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8]) throws(Failure) -> T {
        do {
            return try TogglJSON.decode(type, from: body)
        } catch {
            throw Failure(error)
        }
    }
}
