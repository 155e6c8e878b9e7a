import CCurl
import Synchronization
@testable import TogglKit
#if canImport(Glibc)
import Glibc
#endif

/// The project's fake Toggl server (Tests/Sandbox/sandbox.py), one process for the whole test run.
///
/// It reads stdin until EOF; this process holds the write end open and never closes it, so the
/// sandbox exits with the test process however that ends. Tests isolate themselves with tenants.
final class Sandbox: Sendable {
    static let token = "sandbox-api-token-0123456789abcdef"
    static let email = "sandbox@example.com"
    static let password = "sandbox-password"

    let port: Int
    private static let shared = Locked<Result<Sandbox, SandboxError>?>(nil)
    private static let tenantCounter = Atomic<Int>(0)

    private init(port: Int) { self.port = port }

    static func start() throws(SandboxError) -> Sandbox {
        try shared.withLock { (started: inout Result<Sandbox, SandboxError>?) throws(SandboxError) -> Sandbox in
            if let started { return try started.get() }
            let result = Result { () throws(SandboxError) in try launch() }
            started = result
            return try result.get()
        }
    }

    /// A fresh tenant: its own seeded data, fault queue, quota and request log.
    static func tenant(_ label: String = "t") throws(SandboxError) -> Tenant {
        let sandbox = try start()
        let number = tenantCounter.wrappingAdd(1, ordering: .relaxed).newValue
        return Tenant(sandbox: sandbox, name: "\(label)-\(getpid())-\(number)")
    }

    var rootURL: String { "http://127.0.0.1:\(port)" }

    private static let seedManifest = Locked<SandboxManifest?>(nil)

    /// The seed's counts as the sandbox publishes them (GET /__sandbox/manifest, keys in
    /// Tests/Sandbox/README.md): tests never write 1,250 themselves. Asked once per process.
    static func manifest() throws -> SandboxManifest {
        if let known = seedManifest.withLock({ $0 }) { return known }
        let fetched = try fetchManifest(query: "")
        seedManifest.withLock { $0 = fetched }
        return fetched
    }

    /// The counts of what the routes answer with `since` (GET /__sandbox/manifest?since=…).
    static func manifest(since: Int64) throws -> SandboxManifest {
        try fetchManifest(query: "?since=\(since)")
    }

    private static func fetchManifest(query: String) throws -> SandboxManifest {
        let url = "\(try start().rootURL)/__sandbox/manifest\(query)"
        let (status, body) = try ControlHTTP.send(method: "GET", url: url, body: nil)
        guard status == 200 else {
            throw SandboxError("sandbox manifest\(query) answered \(status): \(String(decoding: body, as: UTF8.self))")
        }
        return try TogglJSON.decode(SandboxManifest.self, from: body)
    }

    private static func launch() throws(SandboxError) -> Sandbox {
        let script = repositoryRoot() + "/Tests/Sandbox/sandbox.py"
        var stdinPipe: [Int32] = [0, 0]
        var stdoutPipe: [Int32] = [0, 0]
        guard pipe(&stdinPipe) == 0, pipe(&stdoutPipe) == 0 else { throw SandboxError("pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_addclose(&actions, stdinPipe[1])
        posix_spawn_file_actions_addclose(&actions, stdoutPipe[0])
        let arguments = ["python3", script, "--port", "0", "--exit-on-stdin-eof"]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "python3", &actions, nil, &argv, environ)
        close(stdinPipe[0])
        close(stdoutPipe[1])
        // The write end of stdin stays open for the life of the test process: closing it stops the sandbox.
        _ = fcntl(stdinPipe[1], F_SETFD, FD_CLOEXEC)
        guard spawned == 0 else { throw SandboxError("could not start python3: errno \(spawned)") }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        var lastRead = 0
        while true {
            lastRead = read(stdoutPipe[0], &byte, 1)
            // A signal (the sanitizers' runtimes use some) must not end the wait for the port.
            if lastRead < 0, errno == EINTR { continue }
            guard lastRead == 1, byte != UInt8(ascii: "\n") else { break }
            line.append(byte)
        }
        close(stdoutPipe[0])
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            var status: Int32 = 0
            let exited = lastRead == 0 && waitpid(pid, &status, WNOHANG) == pid
            throw SandboxError("sandbox did not print its port (got \"\(text)\"; read returned \(lastRead)"
                               + (lastRead < 0 ? ", errno \(errno)" : "")
                               + (exited ? ", python3 exited with status \(status)" : "") + ")")
        }
        return Sandbox(port: port)
    }

    static func repositoryRoot(file: String = #filePath) -> String {
        var path = Substring(file)
        for _ in 0..<4 { path = path[..<(path.lastIndex(of: "/") ?? path.startIndex)] }
        return String(path)
    }
}

/// The sandbox's manifest: how many of each seeded thing its routes answer.
struct SandboxManifest: Decodable, Sendable {
    let organizations: Int
    let workspaces: Int
    let clients: Int
    let clientsDeleted: Int
    let tags: Int
    let tagsDeleted: Int
    /// Every live project: GET /me/projects?include_archived=true, a walk of the paginated route.
    let projects: Int
    let projectsActive: Int
    let projectsArchived: Int
    let projectsDeleted: Int
    /// GET /me/tasks?include_not_active=true.
    let tasks: Int
    let tasksActive: Int
    let tasksInactive: Int
    let timeEntries: Int
    /// The page size of GET /me/projects/paginated without per_page.
    let projectsPerPageDefault: Int

    enum CodingKeys: String, CodingKey {
        case organizations, workspaces, clients, tags, projects, tasks
        case clientsDeleted = "clients_deleted", tagsDeleted = "tags_deleted"
        case projectsActive = "projects_active", projectsArchived = "projects_archived"
        case projectsDeleted = "projects_deleted", tasksActive = "tasks_active"
        case tasksInactive = "tasks_inactive", timeEntries = "time_entries"
        case projectsPerPageDefault = "projects_per_page_default"
    }

    /// Requests a walk of `total` items in pages of `perPage` sends: a short page ends it, an
    /// exact multiple needs one empty page more.
    static func walkRequests(_ total: Int, perPage: Int) -> Int { total / perPage + 1 }

    /// Pages with items such a walk hands out.
    static func walkPages(_ total: Int, perPage: Int) -> Int { (total + perPage - 1) / perPage }
}

struct SandboxError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One tenant of the sandbox, with the control API used to set faults and read what was received.
struct Tenant: Sendable {
    let sandbox: Sandbox
    let name: String

    var baseURL: String { "\(sandbox.rootURL)/t/\(name)/api/v9" }
    var controlURL: String { "\(sandbox.rootURL)/t/\(name)/__sandbox" }

    /// A client of this tenant with the sandbox token; `configure` adjusts the configuration first.
    func client(_ configure: (inout TogglConfiguration) -> Void = { _ in }) throws -> TogglClient {
        var configuration = TogglConfiguration(authentication: .apiToken(Sandbox.token), baseURL: baseURL)
        // Fast retries keep the fault matrix quick; the policy tests cover the real defaults.
        configuration.retryBaseDelay = .milliseconds(20)
        configuration.retryMaxDelay = .milliseconds(100)
        configure(&configuration)
        return try TogglClient(configuration: configuration)
    }

    func faults(_ json: String) throws { try control("POST", "faults", json) }
    func config(_ json: String) throws { try control("POST", "config", json) }
    /// Adds, edits, archives or deletes items (a JSON array of operations; README "Changes").
    func changes(_ json: String) throws { try control("POST", "changes", json) }
    /// Moves the tenant's clock (its `Date` header and the stamps of its changes) forward.
    func advanceClock(seconds: Int) throws { try control("POST", "clock", "{\"advance_s\": \(seconds)}") }

    func requests() throws -> [ReceivedRequest] {
        try TogglJSON.decode([ReceivedRequest].self, from: try control("GET", "requests"))
    }

    func requestCount() throws -> Int {
        try TogglJSON.decode(Count.self, from: try control("GET", "requests/count")).count
    }

    /// `path?query` of every request received, in order.
    func requestLines() throws -> [String] {
        try requests().map { $0.query.isEmpty ? "\($0.method) \($0.path)" : "\($0.method) \($0.path)?\($0.query)" }
    }

    private struct Count: Decodable { let count: Int }

    @discardableResult
    private func control(_ method: String, _ path: String, _ body: String? = nil) throws -> [UInt8] {
        let (status, response) = try ControlHTTP.send(method: method, url: "\(controlURL)/\(path)", body: body)
        guard status == 200 else {
            throw SandboxError("sandbox control \(method) \(path) answered \(status): \(String(decoding: response, as: UTF8.self))")
        }
        return response
    }
}

struct ReceivedRequest: Decodable, Sendable {
    let method: String
    let path: String
    let query: String
    let headers: [String: String]
    let body: String
    /// Which TCP connection carried the request (a serial number per accepted socket).
    let connection: Int?
}

/// A bare libcurl exchange for the control API (POST is not part of the client's vocabulary).
enum ControlHTTP {
    static func send(method: String, url: String, body: String?) throws -> (Int, [UInt8]) {
        guard let handle = curl_easy_init() else { throw SandboxError("curl_easy_init failed") }
        defer { curl_easy_cleanup(handle) }
        final class Sink { var bytes: [UInt8] = [] }
        let sink = Sink()
        _ = toggl_curl_easy_setopt_string(handle, CURLOPT_URL, url)
        _ = toggl_curl_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method)
        _ = toggl_curl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = toggl_curl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, 10_000)
        _ = toggl_curl_easy_setopt_datacb(handle, CURLOPT_WRITEFUNCTION) { data, size, count, user in
            guard let data, let user else { return 0 }
            let sink = Unmanaged<Sink>.fromOpaque(user).takeUnretainedValue()
            data.withMemoryRebound(to: UInt8.self, capacity: size * count) {
                sink.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: size * count))
            }
            return size * count
        }
        _ = toggl_curl_easy_setopt_ptr(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque())
        let code: CURLcode = withExtendedLifetime(sink) {
            if let body {
                return body.withCString { text in
                    _ = toggl_curl_easy_setopt_ptr(handle, CURLOPT_COPYPOSTFIELDS, text)
                    return curl_easy_perform(handle)
                }
            }
            return curl_easy_perform(handle)
        }
        guard code == CURLE_OK else { throw SandboxError("control request failed: curl code \(code.rawValue)") }
        var status = 0
        _ = toggl_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return (status, sink.bytes)
    }
}
