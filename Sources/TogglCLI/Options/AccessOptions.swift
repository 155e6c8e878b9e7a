import ArgumentParser

/// Where the credentials come from. No option takes the token itself: `ps` and shell history
/// would show it.
struct AccessOptions: ParsableArguments {
    @Option(name: .customLong("token-file"),
            help: ArgumentHelp("Read the API token from this file (readable by you only) instead of TOGGL_API_TOKEN.",
                               valueName: "path"),
            completion: .file())
    var tokenFile: String?
}
