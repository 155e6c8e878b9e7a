// What a remote user of the Swift package writes: a client, a typed call, and the store.
// Arguments: the sandbox's /api/v9 URL and a store path.
import TogglKit
import TogglStore
#if canImport(Glibc)
import Glibc
#endif

@main
struct TogglConsumer {
    static func main() async {
        let arguments = CommandLine.arguments
        guard arguments.count == 3 else {
            print("usage: TogglConsumer BASE_URL STORE_PATH")
            exit(2)
        }
        do {
            let client = try TogglClient(apiToken: "sandbox-api-token-0123456789abcdef", baseURL: arguments[1])
            let me = try await client.me()
            print("me:", me.fullname ?? "(no name)")
            let store = try TogglStore(path: arguments[2])
            let report = try await store.sync(with: client)
            let projects = try store.projects(activeOnly: true)
            print("store: \(report.requests) request(s), \(projects.count) active projects")
            if report.requests == 0 || projects.isEmpty { exit(1) }
        } catch {
            print("TogglConsumer:", error.message)
            exit(1)
        }
    }
}
