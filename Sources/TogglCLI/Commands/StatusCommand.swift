import ArgumentParser
import TogglKit
import TogglStore

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what the store holds, how old each part is, and the quota as last seen (no request).",
        discussion: Help.examples("toggl status", "toggl status --json | jq .quota"))

    @OptionGroup var access: AccessOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let session = Session(access: access)
        let path = try session.storePath()
        let store = try session.existingStore()
        var entries: [(collection: StoreCollection, items: Int?, age: Int64?)] = []
        for collection in StoreCollection.allCases {
            let age = try store.map { (store) throws(Failure) in try ReadThrough.age(of: collection, in: store) } ?? nil
            let items = try age == nil ? nil : store.map { (store) throws(Failure) in try Self.count(collection, in: store) }
            entries.append((collection, items, age))
        }
        let quota = store.flatMap { try? $0.quota() }

        switch output.format {
        case .json:
            let collections = entries.map { entry in
                "\(JSONText.string(entry.collection.rawValue)):{\"items\":\(JSONText.number(entry.items.map(Int64.init))),\"age_s\":\(JSONText.number(entry.age))}"
            }
            Printer.json("{\"store\":\(JSONText.string(path)),\"exists\":\(store != nil),"
                + "\"quota\":{\"remaining\":\(JSONText.number(quota?.remaining)),\"resets_in_s\":\(JSONText.number(quota?.resetsInSeconds))},"
                + "\"collections\":{\(collections.joined(separator: ","))}}")
        case .csv, .table:
            var listing = Listing([
                .init(title: "COLLECTION", key: "collection"), .init(title: "ITEMS", key: "items", alignment: .right),
                .init(title: "CACHED", key: "age_s"),
            ])
            for entry in entries {
                let age: Cell = entry.age.map { .labelled(shown: TimeText.ago(seconds: $0), value: String($0)) }
                    ?? .labelled(shown: "never", value: "")
                listing.append([.text(entry.collection.rawValue), .integer(entry.items.map(Int64.init)), age],
                               dimmed: entry.age == nil)
            }
            if output.format == .table {
                var header = Listing([.init(title: "store", key: "store"), .init(title: "quota", key: "quota")], isRecord: true)
                header.append([.text(path + (store == nil ? " (not created yet)" : "")),
                               .text(store.map(Self.quotaText) ?? "unknown: no response has reported it yet")])
                Printer.show(header, as: .table)
                Terminal.write("\n")
            }
            Printer.show(listing, as: output.format)
        }
    }

    /// "27 requests left; resets in 23 min (at 14:05)", as the last sync of any process saw it.
    static func quotaText(_ store: TogglStore) -> String {
        guard let quota = try? store.quota(), quota.remaining != nil || quota.resetsInSeconds != nil else {
            return "unknown: no response has reported it yet"
        }
        var parts: [String] = []
        if let remaining = quota.remaining { parts.append("\(remaining) request\(remaining == 1 ? "" : "s") left") }
        if let left = quota.resetsInSeconds, left > 0 { parts.append(TimeText.resetsIn(seconds: left)) }
        return parts.joined(separator: "; ")
    }

    private static func count(_ collection: StoreCollection, in store: TogglStore) throws(Failure) -> Int {
        let read = ReadThrough(store: store, collection: collection, deferred: nil)
        let bytes = try read.read { try $0.json(collection) }
        if collection == .user { return bytes == Array("null".utf8) ? 0 : 1 }
        // Only the elements are counted: nothing of them is decoded.
        return try Live.decode([Skipped].self, bytes).count
    }

    private struct Skipped: Decodable {
        init(from decoder: any Decoder) throws {}
    }
}

/// The few JSON values this tool writes itself (`status --json`); everything else it prints
/// is the store's or the server's JSON, byte for byte.
enum JSONText {
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func number(_ value: Int64?) -> String {
        value.map { String($0) } ?? "null"
    }
}
