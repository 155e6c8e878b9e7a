// The local store (TogglStore) against the API it mirrors, in one run, as ratios against
// baselines measured in the same run (issue 11's goals; a benchmark reports, it never fails):
//
//   (a) snapshot   store.sync(with:options: .full) into a file store (each call re-snapshots)
//                  <= 2x   client.sendRaw(.me(withRelatedData: true))  (fetch + validate)
//   (b) read       store.json(.projects), every project (a whole read: the ready document)
//                  >= 10x faster than  client.sendRaw(.projects(includeArchived: true))
//                  (and, reported with no goal, typed store.projects() against client.send)
//   (c) size       the store's files (db, -wal) against the body: as they are while the store
//                  is open, after the handle is released (SQLite's last close checkpoints and
//                  removes the -wal), and after reopening
//   (d) reported   an incremental sync with one project edited against one with nothing new:
//                  what rewriting the projects document costs
//
// The data: a sandbox tenant (Tests/Sandbox, POST __sandbox/changes) grown from the seed to
// 6,000 projects, 1,000 clients, 200 tags and as many time entries as make the
// GET /me?with_related_data=true body ~20 MB (counted from the measured size of 1,000 of them).
// Medians of 9 runs, the two sides of each ratio interleaved. Also: where a re-snapshot's time
// goes (the scan StoreRows.me does, timed alone; the rest is SQLite's), and the core count.
//
//   swift build -c release --scratch-path .build-bench --product StoreBench
//   Tests/Sandbox/run-with-sandbox.sh .build-bench/release/StoreBench
//   Tests/Sandbox/run-with-sandbox.sh perf record -g .build-bench/release/StoreBench --profile sync|read|typed
import Foundation
import TogglKit
import TogglStore
#if canImport(Glibc)
import Glibc
#endif

let token = "sandbox-api-token-0123456789abcdef"
let targetBodyBytes = 20_000_000
let runs = 9
let adds = [("projects", 4_750), ("clients", 975), ("tags", 160)]

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("StoreBench: \(message)\n".utf8))
    exit(1)
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

func time(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func samples(_ values: [Double]) -> String { values.map { String(format: "%.3f", $0) }.joined(separator: " ") }

func fileSize(_ path: String) -> Int? {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_size) : nil
}

// MARK: the sandbox's control API (plain HTTP/1.1 on 127.0.0.1, no auth)

guard let sandboxURL = ProcessInfo.processInfo.environment["TOGGL_SANDBOX_URL"],
      sandboxURL.hasPrefix("http://127.0.0.1:"), let port = UInt16(sandboxURL.dropFirst("http://127.0.0.1:".count)) else {
    fail("run me under Tests/Sandbox/run-with-sandbox.sh (TOGGL_SANDBOX_URL=http://127.0.0.1:PORT)")
}
let tenant = "store-bench-\(getpid())"

/// One control request; returns the status and the body (read to its Content-Length).
func control(_ method: String, _ path: String, _ body: String = "") -> (status: Int, body: [UInt8]) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { fail("socket: errno \(errno)") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { fail("cannot connect to the sandbox: errno \(errno)") }
    let payload = Array(body.utf8)
    let request = Array("\(method) /t/\(tenant)/__sandbox\(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(payload.count)\r\nConnection: close\r\n\r\n".utf8) + payload
    var sent = 0
    while sent < request.count {
        let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { fail("sending to the sandbox: errno \(errno)") }
        sent += n
    }
    var response: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    var headerEnd: Int?
    var length = 0
    while true {
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { break }
        response += chunk[0..<n]
        if headerEnd == nil, let end = response.indices.dropLast(3).first(where: { response[$0..<$0 + 4] == [13, 10, 13, 10] }) {
            headerEnd = end + 4
            let head = String(decoding: response[0..<end], as: UTF8.self).lowercased()
            let line = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") } ?? ""
            length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        if let headerEnd, response.count >= headerEnd + length { break }
    }
    guard let headerEnd else { fail("the sandbox answered \(method) \(path) with no head") }
    let status = Int(String(decoding: response[9..<12], as: UTF8.self)) ?? 0
    return (status, Array(response[headerEnd..<min(response.count, headerEnd + length)]))
}

/// A control POST that must succeed; `doing` names it in the failure.
func post(_ path: String, _ body: String, doing: String) {
    let (status, reply) = control("POST", path, body)
    guard status == 200 else { fail("\(doing): \(status) \(String(decoding: reply, as: UTF8.self))") }
}

func change(_ collection: String, count: Int) {
    post("/changes", #"[{"op":"add","collection":"\#(collection)","count":\#(count)}]"#, doing: "adding \(count) \(collection)")
}

func manifest() -> [String: Int] {
    let (status, body) = control("GET", "/manifest")
    guard status == 200, let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Int] else {
        fail("the manifest: \(status)")
    }
    return object
}

// MARK: the data

let client: TogglClient
do { client = try TogglClient(apiToken: token, baseURL: "\(sandboxURL)/t/\(tenant)/api/v9") } catch { fail("\(error)") }

func fetchMe() throws -> RawResponse { try client.sendRaw(.me(withRelatedData: true)) }

for (collection, count) in adds { change(collection, count: count) }
let sizeBefore = try fetchMe().body.count
let probe = 1_000
change("time_entries", count: probe)
let sizeProbed = try fetchMe().body.count
let bytesPerEntry = Double(sizeProbed - sizeBefore) / Double(probe)
let moreEntries = max(0, Int((Double(targetBodyBytes - sizeProbed) / bytesPerEntry).rounded(.up)))
if moreEntries > 0 { change("time_entries", count: moreEntries) }
let body = try fetchMe().body
let counts = manifest()
let megabytes = Double(body.count) / 1e6

// MARK: (a) snapshot into a file store vs fetching the body

let folder = NSTemporaryDirectory() + "store-bench-\(getpid())"
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: folder) }
let path = folder + "/store.db"
var store: TogglStore? = try TogglStore(path: path)

// The first sync fills an empty store (and warms up both sides); the timed ones re-snapshot.
_ = try fetchMe()
var firstReport: SyncReport?
let firstSync = try time { firstReport = try store!.sync(with: client) }
guard firstReport?.snapshot == true else { fail("the first sync was not a snapshot") }

if CommandLine.arguments.dropFirst().first == "--profile" {
    // For `perf record`: `--profile sync|read|typed` repeats one part, nothing timed.
    let part = CommandLine.arguments.dropFirst(2).first ?? "sync"
    switch part {
    case "sync": for _ in 0..<20 { try store!.sync(with: client, options: .full) }
    case "read": for _ in 0..<2000 { _ = try store!.json(.projects) }
    case "typed": for _ in 0..<30 { _ = try store!.projects() }
    default: fail("--profile takes sync, read or typed, not \(part)")
    }
    try? FileManager.default.removeItem(atPath: folder)
    exit(0)
}

var fetchTimes: [Double] = []
var syncTimes: [Double] = []
for _ in 0..<runs {
    fetchTimes.append(try time { _ = try fetchMe() })
    syncTimes.append(try time {
        let report = try store!.sync(with: client, options: .full)
        guard report.snapshot, report.requests == 1 else { fail("a .full sync did not re-snapshot with one request") }
    })
}

// Where a re-snapshot goes: the scan it does (StoreRows.me, package API), timed alone.
let listKeys = Set(StoreCollection.allCases.filter { $0 != .user }.map(\.rawValue))
var scanTimes: [Double] = []
var scannedRows = 0
for _ in 0..<runs {
    scanTimes.append(try time {
        try body.withUnsafeBufferPointer { (buffer) throws(TogglError) in
            scannedRows = try StoreRows.me(buffer, listKeys: listKeys).lists.values.reduce(0) { $0 + $1.count }
        }
    })
}

// MARK: (b) reading every project back vs fetching them

let projectCount = counts["projects"] ?? -1
_ = try client.sendRaw(.projects(includeArchived: true))
guard try store!.projects().count == projectCount else { fail("the store does not hold \(projectCount) projects") }
var projectFetchTimes: [Double] = []
var projectJSONTimes: [Double] = []
var projectTypedTimes: [Double] = []
var projectTypedFetchTimes: [Double] = []
var projectBytes = 0
for _ in 0..<runs {
    projectFetchTimes.append(try time { projectBytes = try client.sendRaw(.projects(includeArchived: true)).body.count })
    projectJSONTimes.append(try time { _ = try store!.json(.projects) })
    projectTypedTimes.append(try time { _ = try store!.projects() })
    // Not a goal's baseline: the typed read's like-for-like (fetch + the same decoding).
    projectTypedFetchTimes.append(try time { _ = try client.send(.projects(includeArchived: true)) })
}

// MARK: (c) the store's size on disk

let walPath = path + "-wal"
func sizes() -> (db: Int, wal: Int?, shm: Int?) { (fileSize(path) ?? 0, fileSize(walPath), fileSize(path + "-shm")) }
let whileOpen = sizes()
store = nil // TogglStore has no close: releasing the handle closes both its connections
let released = sizes()
store = try TogglStore(path: path)
let reopenedRows = try store!.json(.timeEntries).count
let reopened = sizes()

// MARK: (d) what keeping the projects document costs an incremental sync

// The clock moves past the setup's adds and the watermark's margin, so that a refresh brings
// back only what changed since (and, within its margin, the last edit, which it finds stored).
func advanceClock(_ seconds: Int) {
    post("/clock", #"{"advance_s":\#(seconds)}"#, doing: "moving the sandbox clock")
}
func editProject(_ id: Int64, _ name: String) {
    post("/changes", #"[{"op":"edit","collection":"projects","id":\#(id),"fields":{"name":"\#(name)"}}]"#,
         doing: "editing project \(id)")
}
guard let editedProject = try store!.projects().first?.id else { fail("no project to edit") }
advanceClock(3_600)
_ = try store!.sync(with: client, maxAge: 0)
advanceClock(3_600)
_ = try store!.sync(with: client, maxAge: 0)
var quietSyncTimes: [Double] = []
var editedSyncTimes: [Double] = []
for run in 0..<runs {
    advanceClock(60)
    quietSyncTimes.append(try time { _ = try store!.sync(with: client, maxAge: 0) })
    editProject(editedProject, "Edited \(run)")
    advanceClock(60)
    editedSyncTimes.append(try time {
        let report = try store!.sync(with: client, maxAge: 0)
        guard report.collections[.projects]?.upserted ?? 0 >= 1 else { fail("the edit did not come back") }
    })
}
guard try store!.projects().contains(where: { $0.id == editedProject && $0.name == "Edited \(runs - 1)" }) else {
    fail("the store does not read the last edit")
}
let afterEdits = sizes()

// MARK: the table

let cores = ProcessInfo.processInfo.activeProcessorCount
let load = ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").first ?? "?"
print(String(format: "TogglStore against the sandbox: GET /me?with_related_data=true is %.1f MB (%d bytes): %d time entries, %d projects, %d clients, %d tags, %d workspaces",
             megabytes, body.count, counts["time_entries"] ?? -1, projectCount, counts["clients"] ?? -1,
             counts["tags"] ?? -1, counts["workspaces"] ?? -1))
print("cores: \(cores) (load average \(load)); file store in \(folder); medians of \(runs), interleaved")
print("")
print("goal                                           measured     baseline      ratio   goal")
/// `pass` nil: a figure reported beside the goals, with no goal of its own.
func row(_ name: String, _ measured: Double, _ baseline: Double, ratio: Double, goal: String, pass: Bool?) {
    let label = name.padding(toLength: 44, withPad: " ", startingAt: 0)
    let verdict = pass.map { $0 ? " PASS" : " MISS" } ?? ""
    print(label + String(format: " %9.4f s  %9.4f s  %8.2fx", measured, baseline, ratio) + "   \(goal)\(verdict)")
}
let sync = median(syncTimes), fetch = median(fetchTimes)
row("(a) snapshot sync(.full) vs sendRaw(/me…)", sync, fetch, ratio: sync / fetch, goal: "<= 2x", pass: sync / fetch <= 2)
let projectFetch = median(projectFetchTimes)
let projectJSON = median(projectJSONTimes), projectTyped = median(projectTypedTimes)
let projectTypedFetch = median(projectTypedFetchTimes)
row("(b) store.json(.projects) vs sendRaw", projectJSON, projectFetch, ratio: projectFetch / projectJSON,
    goal: ">= 10x faster", pass: projectFetch / projectJSON >= 10)
// Typed, like for like: decoding 6,000 projects costs the same either way and dominates both.
row("    typed: store.projects() vs client.send", projectTyped, projectTypedFetch,
    ratio: projectTypedFetch / projectTyped, goal: "(no goal: decoding dominates)", pass: nil)
func describe(_ sizes: (db: Int, wal: Int?, shm: Int?)) -> String {
    let total = sizes.db + (sizes.wal ?? 0)
    let wal = sizes.wal.map { String(format: "%.1f MB", Double($0) / 1e6) } ?? "absent"
    let shm = sizes.shm.map { "-shm \($0 / 1024) KiB, not counted" } ?? "no -shm"
    return String(format: "db %.1f MB + wal %@ = %.1f MB = %.2fx the body (%@)", Double(sizes.db) / 1e6, wal,
                  Double(total) / 1e6, Double(total) / Double(body.count), shm)
}
print("(c) store size (no goal stated: reported)")
print("    open, after the syncs (as they are):       " + describe(whileOpen))
print("    handle released (last close checkpoints):  " + describe(released))
print("    reopened:                                  " + describe(reopened))
print("    after the incremental syncs of (d), open:  " + describe(afterEdits))
print("")
print(String(format: "first sync into the empty store: %.3f s (%.2fx the fetch)", firstSync, firstSync / fetch))
print(String(format: "a re-snapshot's parts: fetch %.3f s, StoreRows.me scan %.3f s (%d rows), the rest (SQLite: delete, insert, commit) %.3f s",
             fetch, median(scanTimes), scannedRows, sync - fetch - median(scanTimes)))
print(String(format: "projects: %d in %.1f MB; typed read %.3f s = json read %.3f s + decoding; typed fetch client.send %.3f s (typed read %.2fx faster than it)",
             projectCount, Double(projectBytes) / 1e6, projectTyped, projectJSON, projectTypedFetch, projectTypedFetch / projectTyped))
let quietSync = median(quietSyncTimes), editedSync = median(editedSyncTimes)
print(String(format: "(d) incremental sync (3 requests): nothing new %.4f s; one project edited %.4f s: rewriting the %.1f MB projects document costs %.4f s",
             quietSync, editedSync, Double(projectBytes) / 1e6, editedSync - quietSync))
print("runs (s): sync \(samples(syncTimes)); fetch /me \(samples(fetchTimes))")
print("          json(.projects) \(samples(projectJSONTimes)); projects() \(samples(projectTypedTimes)); fetch projects \(samples(projectFetchTimes))")
if reopenedRows < 2 { print("the reopened store lost its time entries") }
