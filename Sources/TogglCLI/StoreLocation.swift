#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import TogglKit
import TogglStore

/// Where the store file is: `TOGGL_STORE`, else one file per account under
/// `$XDG_CACHE_HOME/toggl/` (`~/.cache/toggl/`), named from the credential so that finding it
/// costs no request.
enum StoreLocation {
    /// `authentication` is asked for only when TOGGL_STORE is unset.
    static func path(authentication: () throws(Failure) -> TogglConfiguration.Authentication) throws(Failure) -> String {
        if let path = Environment.value("TOGGL_STORE") { return path }
        let folder = try cacheFolder() + "/toggl"
        let credential = try authentication()
        let name: String
        do {
            name = try TogglStore.fileName(for: credential)
        } catch {
            throw Failure(error)
        }
        try makeFolders(folder)
        return folder + "/" + name
    }

    /// XDG's cache folder; a relative XDG_CACHE_HOME is ignored, as the specification says.
    private static func cacheFolder() throws(Failure) -> String {
        if let cache = Environment.value("XDG_CACHE_HOME"), cache.hasPrefix("/") { return cache }
        if let home = Environment.value("HOME") { return home + "/.cache" }
        throw Failure(ExitCodes.cantCreate, "cannot tell where the store goes: HOME is not set; set TOGGL_STORE to a file")
    }

    /// mkdir -p, each new folder 0700 (the XDG rule for folders it creates): the store's file
    /// names tell which accounts this user has.
    private static func makeFolders(_ path: String) throws(Failure) {
        var current = ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            current += "/" + component
            if mkdir(current, 0o700) != 0, errno != EEXIST {
                throw Failure(ExitCodes.cantCreate, "cannot create the folder '\(current)': \(systemError()); set TOGGL_STORE to a file elsewhere")
            }
        }
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }
}
