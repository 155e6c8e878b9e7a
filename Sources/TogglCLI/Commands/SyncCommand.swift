import ArgumentParser
import TogglKit
import TogglStore

struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Bring the whole store up to date, tasks and profile included, and show what it cost.",
        discussion: Help.examples(
            "toggl sync                 # up to 5 requests: clients, projects, tags, tasks, profile",
            "toggl sync --max-age 15m   # only what is older than 15 minutes; often 0 requests",
            "toggl sync --full          # one snapshot of everything",
            "toggl sync --json          # the report: {\"requests\": n, \"snapshot\": b, \"collections\": {…}}")
            + "\n\nAn empty store always starts with a snapshot (one request; tasks take one more).")

    @Flag(help: "Replace everything with one snapshot (GET /me?with_related_data=true), tasks with one more request.")
    var full = false

    @Option(name: .customLong("max-age"),
            help: ArgumentHelp("Skip collections refreshed less than this long ago (default: refresh them all).", valueName: "age"))
    var maxAge: Age?

    @OptionGroup var access: AccessOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let session = Session(access: access)
        let store = try session.store()
        let client = try session.client()
        try Interrupt.check()
        let report: SyncReport
        Progress.show("syncing…")
        do {
            report = try store.sync(with: client, options: full ? [.full, .tasks, .user] : [.tasks, .user], maxAge: maxAge?.seconds)
        } catch {
            Progress.clear()
            throw Failure(error)
        }
        Progress.clear()
        switch output.format {
        case .json:
            Printer.json(report.json)
        case .csv:
            Printer.show(.report(report), as: .csv)
        case .table:
            let kind = report.requests == 0 ? "everything was fresh" : report.snapshot ? "a snapshot" : "an incremental refresh"
            Terminal.write("\(report.requests) request\(report.requests == 1 ? "" : "s") (\(kind)); quota: \(StatusCommand.quotaText(store))\n\n")
            Printer.show(.report(report), as: .table)
        }
    }
}
