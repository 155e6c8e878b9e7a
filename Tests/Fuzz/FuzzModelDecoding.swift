// libFuzzer target: TogglJSON.decode for every model type the endpoints return.
//
// The first input byte picks the type (modulo the number of types, see `decoders`), the rest is
// the JSON body. Decoding errors are the expected outcome for most inputs; a crash, a trap, an
// AddressSanitizer report, a leak or a stack overflow is a finding.
//
// Each input is decoded on a fresh thread with a 512 KiB stack (the size of a secondary thread
// on Darwin, and smaller than the 8 MiB main thread libFuzzer runs on), so that recursion that
// grows with the input's nesting (jansson's parser, JSONValue, Codable) overflows here instead of
// hiding behind a large main-thread stack. (TogglJSON.maxDepth, added in 90784c6, keeps typed
// decoding well inside that; before it a `User.options` nested 140 arrays deep overflowed here,
// see regressions/FuzzModelDecoding.)

@testable import TogglKit
#if canImport(Glibc)
import Glibc
#endif

/// The type selected by `selector % decoders.count`. run.sh seeds the corpus with these indices
/// (keep the two in step).
private let decoders: [(name: String, decode: @Sendable ([UInt8]) -> Void)] = [
    ("User", { _ = try? TogglJSON.decode(User.self, from: $0) }),                               // 0
    ("[Project]", { _ = try? TogglJSON.decode([Project].self, from: $0) }),                     // 1
    ("[Client]", { _ = try? TogglJSON.decode([Client].self, from: $0) }),                       // 2
    ("[TogglTag]", { _ = try? TogglJSON.decode([TogglTag].self, from: $0) }),                   // 3
    ("[TogglTask]", { _ = try? TogglJSON.decode([TogglTask].self, from: $0) }),                 // 4
    ("[Organization]", { _ = try? TogglJSON.decode([Organization].self, from: $0) }),           // 5
    ("[WorkspaceFeatures]", { _ = try? TogglJSON.decode([WorkspaceFeatures].self, from: $0) }), // 6
    ("Location?", { _ = try? TogglJSON.decode(Location?.self, from: $0) }),                     // 7
    ("[QuotaEntry]", { _ = try? TogglJSON.decode([QuotaEntry].self, from: $0) }),               // 8
    ("[Workspace]", { _ = try? TogglJSON.decode([Workspace].self, from: $0) }),                 // 9
    ("[TimeEntry]", { _ = try? TogglJSON.decode([TimeEntry].self, from: $0) }),                 // 10
    ("TimeEntry?", { _ = try? TogglJSON.decode(TimeEntry?.self, from: $0) }),                   // 11
]

private let stackSize = 512 * 1024

/// What the worker thread needs; passed through pthread_create's void pointer.
private final class Job {
    let selector: Int
    let body: [UInt8]
    init(selector: Int, body: [UInt8]) {
        self.selector = selector
        self.body = body
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelDecoding(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let job = Job(selector: Int(data[0]) % decoders.count,
                  body: Array(UnsafeBufferPointer(start: data + 1, count: size - 1)))

    var attributes = pthread_attr_t()
    guard pthread_attr_init(&attributes) == 0 else { fatalError("pthread_attr_init failed") }
    defer { pthread_attr_destroy(&attributes) }
    guard pthread_attr_setstacksize(&attributes, stackSize) == 0 else { fatalError("pthread_attr_setstacksize failed") }

    var thread = pthread_t()
    let context = Unmanaged.passRetained(job).toOpaque()
    let created = pthread_create(&thread, &attributes, { context in
        let job = Unmanaged<Job>.fromOpaque(context!).takeRetainedValue()
        decoders[job.selector].decode(job.body)
        return nil
    }, context)
    guard created == 0 else { fatalError("pthread_create failed: \(created)") }
    pthread_join(thread, nil)
    return 0
}
