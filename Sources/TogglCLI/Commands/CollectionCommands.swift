import ArgumentParser
import TogglKit
import TogglStore

// The commands answered from the store: each refreshes its collection when it is older than
// --max-age, then prints what the store holds.

struct MeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "me",
        abstract: "Show your profile.",
        discussion: Help.examples(
            "toggl me",
            "toggl me --json | jq -r .timezone",
            "toggl me --refresh          # one GET /me, whatever the age"))

    @OptionGroup var access: AccessOptions
    @OptionGroup var freshness: FreshnessOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let session = Session(access: access)
        let read = try ReadThrough.open(.user, refresh: .user, freshness: freshness, session: session)
        if output.format == .json {
            // As stored: the user without api_token and without the related lists.
            Printer.json(try read.read { try $0.json(.user) })
        } else if let user = try read.read({ try $0.user() }) {
            Printer.show(.user(user), as: output.format)
        }
        try read.finish()
    }
}

struct ProjectsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projects",
        abstract: "List your projects, archived ones included.",
        discussion: Help.examples(
            "toggl projects",
            "toggl projects --active --csv > projects.csv",
            "toggl projects --json | jq -r '.[].name'",
            "toggl projects --max-age 1h   # ask the server at most once an hour"))

    @OptionGroup var access: AccessOptions
    @OptionGroup var freshness: FreshnessOptions
    @OptionGroup var output: OutputOptions
    @Flag(help: "Leave archived projects out.") var active = false

    func run() throws {
        let read = try ReadThrough.open(.projects, refresh: .incremental([]), freshness: freshness,
                                        session: Session(access: access))
        if output.format == .json {
            Printer.json(try read.read { try $0.json(.projects, activeOnly: active) })
        } else {
            let projects = try read.read { try $0.projects(activeOnly: active) }
            let clients = try read.read { try $0.clients() }
            Printer.show(.projects(projects, clients: clients), as: output.format)
        }
        try read.finish()
    }
}

struct ClientsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clients",
        abstract: "List your clients, archived ones included.",
        discussion: Help.examples("toggl clients", "toggl clients --active --csv"))

    @OptionGroup var access: AccessOptions
    @OptionGroup var freshness: FreshnessOptions
    @OptionGroup var output: OutputOptions
    @Flag(help: "Leave archived clients out.") var active = false

    func run() throws {
        let read = try ReadThrough.open(.clients, refresh: .incremental([]), freshness: freshness,
                                        session: Session(access: access))
        if output.format == .json {
            Printer.json(try read.read { try $0.json(.clients, activeOnly: active) })
        } else {
            Printer.show(.clients(try read.read { try $0.clients(activeOnly: active) }), as: output.format)
        }
        try read.finish()
    }
}

struct TagsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tags",
        abstract: "List your tags.",
        discussion: Help.examples("toggl tags", "toggl tags --offline   # from the store, sending nothing"))

    @OptionGroup var access: AccessOptions
    @OptionGroup var freshness: FreshnessOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let read = try ReadThrough.open(.tags, refresh: .incremental([]), freshness: freshness,
                                        session: Session(access: access))
        if output.format == .json {
            Printer.json(try read.read { try $0.json(.tags) })
        } else {
            Printer.show(.tags(try read.read { try $0.tags() }), as: output.format)
        }
        try read.finish()
    }
}

struct TasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "List your tasks, done ones included.",
        discussion: Help.examples("toggl tasks --active", "toggl tasks --csv | cut -d, -f1,2"))

    @OptionGroup var access: AccessOptions
    @OptionGroup var freshness: FreshnessOptions
    @OptionGroup var output: OutputOptions
    @Flag(help: "Leave done tasks out.") var active = false

    func run() throws {
        let read = try ReadThrough.open(.tasks, refresh: .incremental(.tasks), freshness: freshness,
                                        session: Session(access: access))
        if output.format == .json {
            Printer.json(try read.read { try $0.json(.tasks, activeOnly: active) })
        } else {
            let tasks = try read.read { try $0.tasks(activeOnly: active) }
            let projects = try read.read { try $0.projects() }
            Printer.show(.tasks(tasks, projects: projects), as: output.format)
        }
        try read.finish()
    }
}

struct WorkspacesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workspaces",
        abstract: "List your workspaces.",
        discussion: Help.examples("toggl workspaces", "toggl workspaces --json | jq '.[] | {id, name}'")
            + "\n\nWorkspaces change only with a snapshot: when older than --max-age they are refreshed with one GET /me?with_related_data=true.")

    @OptionGroup var access: AccessOptions
    @OptionGroup var freshness: FreshnessOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let read = try ReadThrough.open(.workspaces, refresh: .snapshot, freshness: freshness,
                                        session: Session(access: access))
        if output.format == .json {
            Printer.json(try read.read { try $0.json(.workspaces) })
        } else {
            Printer.show(.workspaces(try read.read { try $0.workspaces() }), as: output.format)
        }
        try read.finish()
    }
}

struct TimeEntriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "time-entries",
        abstract: "List your recent time entries (a running one shows as running).",
        discussion: Help.examples("toggl time-entries", "toggl time-entries --csv > entries.csv")
            + "\n\nTime entries change only with a snapshot: when older than --max-age they are refreshed with one GET /me?with_related_data=true.")

    @OptionGroup var access: AccessOptions
    @OptionGroup var freshness: FreshnessOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let read = try ReadThrough.open(.timeEntries, refresh: .snapshot, freshness: freshness,
                                        session: Session(access: access))
        if output.format == .json {
            Printer.json(try read.read { try $0.json(.timeEntries) })
        } else {
            let entries = try read.read { try $0.timeEntries() }
            let projects = try read.read { try $0.projects() }
            Printer.show(.timeEntries(entries, projects: projects), as: output.format)
        }
        try read.finish()
    }
}

/// The examples every command's --help ends with.
enum Help {
    static func examples(_ lines: String...) -> String {
        "Examples:\n" + lines.map { "  " + $0 }.joined(separator: "\n")
    }
}
