// Typed decoding of a large GET /me?with_related_data=true body, three ways, in one run:
//
//   TogglKit         TogglJSON.decode(User.self, from:)  (tape + Decoder, no tree)
//   Foundation       JSONDecoder().decode(User.self, from:) on the same Codable models
//   Python           json.loads on the same bytes (dicts only; python3 in a child process)
//
// The body is generated deterministically from the recorded me_with_related_data.json: its
// elements repeated, with fresh ids and names, to 38,000 time entries, 6,000 projects, 2,500
// tags and 1,000 clients (about 20 MB). Medians of 5 runs. Then, in a child process, the peak
// resident memory of one TogglKit decode, against the body's size.
//
//   swift run -c release --scratch-path .build-bench TypedDecodeBench [fixture]
import Foundation
import TogglKit

let fixtureDefault = "Tests/TogglKitTests/Fixtures/me_with_related_data.json"
let counts = ["time_entries": 38_000, "projects": 6_000, "tags": 2_500, "clients": 1_000]
let runs = 5

func generateBody(from fixture: String) throws -> Data {
    let sample = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fixture))) as! [String: Any]
    var body = sample
    for (key, count) in counts {
        let templates = sample[key] as! [[String: Any]]
        body[key] = (0..<count).map { index -> [String: Any] in
            var element = templates[index % templates.count]
            element["id"] = 100_000_000 + index
            if element["name"] != nil { element["name"] = "\(key) \(index)" }
            if element["description"] != nil { element["description"] = "entry \(index)" }
            return element
        }
    }
    return try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

func time(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// VmHWM from /proc/self/status: this process's own peak (ru_maxrss would include the parent's,
/// which Linux carries across exec).
func peakRSSKiB(_ field: String = "VmHWM:") -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix(field) } ?? ""
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
}

let arguments = CommandLine.arguments
if arguments.count == 3, arguments[1] == "--rss" || arguments[1] == "--rss-foundation" {
    // Child: one decode of the body in the file; prints peak RSS before and after.
    let data = try Data(contentsOf: URL(fileURLWithPath: arguments[2]))
    let bytes = [UInt8](data)
    let before = peakRSSKiB()
    let user = arguments[1] == "--rss" ? try TogglJSON.decode(User.self, from: bytes)
                                       : try JSONDecoder().decode(User.self, from: data)
    let after = peakRSSKiB()
    // What stays resident: the models alone (the decoder's working memory is freed).
    print(before, after, peakRSSKiB("VmRSS:"), user.timeEntries?.count ?? 0)
    exit(0)
}

if arguments.count == 2, arguments[1] == "--profile" {
    // Only TogglKit, 20 times: for `perf record`.
    let bytes = [UInt8](try generateBody(from: fixtureDefault))
    for _ in 0..<20 { _ = try TogglJSON.decode(User.self, from: bytes) }
    exit(0)
}

let fixture = arguments.count > 1 ? arguments[1] : fixtureDefault
let data = try generateBody(from: fixture)
let bytes = [UInt8](data)
let megabytes = Double(bytes.count) / 1e6
let path = NSTemporaryDirectory() + "typed-decode-bench-\(getpid()).json"
try data.write(to: URL(fileURLWithPath: path))
defer { try? FileManager.default.removeItem(atPath: path) }

// Warm up both decoders once, and check they agree on what matters.
let ours = try TogglJSON.decodeReportingIssues(User.self, from: bytes)
let theirs = try JSONDecoder().decode(User.self, from: data)
guard ours.value.timeEntries?.count == counts["time_entries"], ours.value == theirs else {
    print("the two decoders disagree; not timing")
    exit(1)
}

var togglTimes: [Double] = []
var foundationTimes: [Double] = []
for _ in 0..<runs {
    togglTimes.append(try time { _ = try TogglJSON.decode(User.self, from: bytes) })
    foundationTimes.append(try time { _ = try JSONDecoder().decode(User.self, from: data) })
}

let python = Process()
python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
python.arguments = ["python3", "-c", """
import json, sys, time
data = open(sys.argv[1], 'rb').read()
times = []
for _ in range(\(runs)):
    start = time.perf_counter(); json.loads(data); times.append(time.perf_counter() - start)
print(sorted(times)[len(times) // 2])
""", path]
let pipe = Pipe()
python.standardOutput = pipe
try python.run()
python.waitUntilExit()
let pythonTime = Double(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    .trimmingCharacters(in: .whitespacesAndNewlines))

/// Peak resident memory of one decode in a fresh process: (baseline, peak) in KiB.
func childRSS(_ mode: String) throws -> [Int] {
    let child = Process()
    child.executableURL = URL(fileURLWithPath: arguments[0].hasPrefix("/") ? arguments[0]
                              : FileManager.default.currentDirectoryPath + "/" + arguments[0])
    child.arguments = [mode, path]
    let pipe = Pipe()
    child.standardOutput = pipe
    try child.run()
    child.waitUntilExit()
    return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        .split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
}
let rss = try childRSS("--rss")
let foundationRSS = try childRSS("--rss-foundation")

let toggl = median(togglTimes), foundation = median(foundationTimes)
print(String(format: "typed decoding of GET /me?with_related_data=true, %.1f MB (%d time entries, %d projects, %d tags, %d clients), median of %d",
             megabytes, counts["time_entries"]!, counts["projects"]!, counts["tags"]!, counts["clients"]!, runs))
print("                                   seconds     MB/s  vs Foundation  vs Python")
func row(_ name: String, _ seconds: Double) {
    let python = pythonTime.map { String(format: "%8.2fx", $0 / seconds) } ?? "       -"
    let label = name.padding(toLength: 32, withPad: " ", startingAt: 0)
    print(label + String(format: " %9.3f %8.1f %13.2fx ", seconds, megabytes / seconds, foundation / seconds) + python)
}
row("TogglKit TogglJSON.decode", toggl)
row("Foundation JSONDecoder", foundation)
if let pythonTime { row("Python json.loads (dicts)", pythonTime) }
func samples(_ values: [Double]) -> String { values.map { String(format: "%.3f", $0) }.joined(separator: " ") }
print("runs (s): TogglKit \(samples(togglTimes)); Foundation \(samples(foundationTimes))")
for (name, values) in [("TogglKit", rss), ("Foundation", foundationRSS)] where values.count == 4 {
    // The baseline already holds the body; the growth is what decoding adds, the models included.
    let grownMB = Double(values[1] - values[0]) * 1024 / 1e6
    let modelsMB = Double(values[2] - values[0]) * 1024 / 1e6
    print(String(format: "%@: peak +%.1f MB over the loaded %.1f MB body (%.2fx it), of which the models keep %.1f MB",
                 name, grownMB, megabytes, grownMB / megabytes, modelsMB))
}
