import ArgumentParser
import TogglKit

/// `toggl`: the root command. It only lists the others; every answer comes from a subcommand.
struct Toggl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "toggl",
        abstract: "Toggl Track from the command line, answered from a local mirror so that it stays inside the hourly quota.",
        discussion: """
            Reads (me, projects, clients, tags, tasks, workspaces, time-entries) answer \
            from the store and refresh it when it is older than --max-age (15 minutes \
            unless given). organizations, features, location, quota and logged always \
            ask the server (one request each).

            Environment:
              TOGGL_API_TOKEN  the API token (Toggl Track → Profile settings → API Token)
              TOGGL_BASE_URL   another server than https://api.track.toggl.com/api/v9
              TOGGL_STORE      the store file (default: one file per account in
                               $XDG_CACHE_HOME/toggl/, else ~/.cache/toggl/)
              NO_COLOR         no colour, even on a terminal

            Exit status:
              0    ok
              64   usage error
              65   the server refused the request or sent something unusable
              69   the server is unreachable or failing; --offline without the data
              70   internal error
              73   the store cannot be opened or written
              75   quota spent or rate limited: the same command works later
              77   API token missing, unsafe or refused
              130  interrupted (Ctrl-C)

            """ + "\n" + Help.examples("toggl projects --active", "toggl sync && toggl status", "toggl me --json"),
        version: TogglVersion.string,
        subcommands: [
            MeCommand.self, ProjectsCommand.self, ClientsCommand.self, TagsCommand.self, TasksCommand.self,
            WorkspacesCommand.self, TimeEntriesCommand.self, OrganizationsCommand.self, FeaturesCommand.self,
            LocationCommand.self, QuotaCommand.self, LoggedCommand.self, UpdateMeCommand.self, SyncCommand.self,
            StatusCommand.self,
        ])
}
