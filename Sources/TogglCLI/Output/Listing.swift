import TogglKit

/// What a command shows, independent of the format: columns, and rows of cells. A table and a
/// CSV file are two renderings of it; `--json` bypasses it and prints the server's objects.
struct Listing {
    struct Column {
        enum Alignment { case left, right }
        /// The table's header.
        var title: String
        /// The CSV header: the JSON key the value comes from, where there is one.
        var key: String
        var alignment: Alignment = .left
        /// Gives up width first when the table is too wide (names, descriptions).
        var flexible = false
    }

    var columns: [Column]
    var rows: [[Cell]] = []
    /// Rows shown dim on a colour terminal (archived, inactive, done).
    var dimmed: [Bool] = []
    /// One record: on a terminal, a "field  value" line per column instead of a one-row table.
    var isRecord = false

    init(_ columns: [Column], isRecord: Bool = false) {
        self.columns = columns
        self.isRecord = isRecord
    }

    mutating func append(_ row: [Cell], dimmed: Bool = false) {
        precondition(row.count == columns.count, "a row needs a cell per column")
        rows.append(row)
        self.dimmed.append(dimmed)
    }
}

/// One value, shown per format: a table shows it for reading ("yes", "1:02:03",
/// "2024-12-11 17:43"), CSV for parsing ("true", 3723, the server's timestamp).
enum Cell {
    case text(String?)
    case integer(Int64?)
    case flag(Bool?)
    case time(TogglTimestamp?)
    /// A duration in seconds; negative is a running time entry.
    case seconds(Int64?)
    /// A table shows `shown`, CSV `value` (a name looked up for an id, say).
    case labelled(shown: String, value: String)

    var tableText: String {
        switch self {
        case .text(let text): text ?? ""
        case .integer(let number): number.map { String($0) } ?? ""
        case .flag(let flag): flag.map { $0 ? "yes" : "no" } ?? ""
        case .time(let timestamp): TimeText.utc(timestamp)
        case .seconds(let seconds): seconds.map { $0 < 0 ? "running" : TimeText.clock(seconds: $0) } ?? ""
        case .labelled(let shown, _): shown
        }
    }

    var csvText: String {
        switch self {
        case .text(let text): text ?? ""
        case .integer(let number), .seconds(let number): number.map { String($0) } ?? ""
        case .flag(let flag): flag.map { $0 ? "true" : "false" } ?? ""
        case .time(let timestamp): timestamp?.rawValue ?? ""
        case .labelled(_, let value): value
        }
    }
}
