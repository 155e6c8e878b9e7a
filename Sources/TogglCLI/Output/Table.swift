/// A listing as aligned columns that fit the terminal: long cells are cut with "…" (the
/// flexible columns first), and no line is ever longer than the width, so rows never wrap.
enum Table {
    static let gap = 2
    static let bold = "\u{1B}[1m"
    static let dim = "\u{1B}[2m"
    static let reset = "\u{1B}[0m"

    /// `width` nil: no limit (not a terminal). `colour`: bold header and dim inactive rows.
    static func render(_ listing: Listing, width: Int?, colour: Bool) -> String {
        listing.isRecord ? renderRecord(listing, width: width, colour: colour)
                         : renderRows(listing, width: width, colour: colour)
    }

    private static func renderRows(_ listing: Listing, width: Int?, colour: Bool) -> String {
        let titles = listing.columns.map(\.title)
        let cells = listing.rows.map { $0.map { clean($0.tableText) } }
        var widths = titles.map(DisplayWidth.of)
        for row in cells {
            for (index, text) in row.enumerated() { widths[index] = max(widths[index], DisplayWidth.of(text)) }
        }
        // Integer columns (ids) are never cut: "2…" identifies nothing.
        let whole = listing.columns.indices.map { index in
            listing.rows.allSatisfy { row in
                if case .integer = row[index] { true } else { false }
            }
        }
        var shown = widths.count
        if let width { shown = fit(&widths, listing.columns, whole: whole, into: width) }

        var out = ""
        func emit(_ texts: [String], style: String?) {
            var line = ""
            for (index, text) in texts.prefix(shown).enumerated() {
                let cut = DisplayWidth.truncate(text, to: widths[index])
                let padding = String(repeating: " ", count: widths[index] - DisplayWidth.of(cut))
                if index > 0 { line += String(repeating: " ", count: gap) }
                line += listing.columns[index].alignment == .right ? padding + cut : cut + padding
            }
            while line.hasSuffix(" ") { line.removeLast() }
            if let width { line = DisplayWidth.truncate(line, to: width) }
            out += (style.map { $0 + line + reset } ?? line) + "\n"
        }
        emit(titles, style: colour ? bold : nil)
        for (index, row) in cells.enumerated() {
            emit(row, style: colour && listing.dimmed[index] ? dim : nil)
        }
        return out
    }

    /// Fits the columns into `width` and returns how many are shown.
    ///
    /// Takes width from the flexible columns (names), widest first, down to 8 columns, their
    /// titles cut too if need be: a cut name still reads. Then from the other columns down to
    /// their titles, except integer columns (`whole`), which keep their full width: a cut id
    /// does not read. When the columns at those floors still do not fit, trailing columns are
    /// dropped whole, header and all, rather than the line being cut at the end: a value cut at
    /// the edge ("43644…") would look like another value, while a missing column is plain to
    /// see (and `--csv` or `--json` has every one). Only when the first column alone is wider
    /// than the terminal is the line cut at the end.
    private static func fit(_ widths: inout [Int], _ columns: [Listing.Column], whole: [Bool], into width: Int) -> Int {
        func floor(_ index: Int) -> Int {
            if whole[index] { return widths[index] }
            return min(widths[index], columns[index].flexible ? 8 : DisplayWidth.of(columns[index].title))
        }
        var shown = widths.count
        while shown > 1, (0..<shown).map(floor).reduce(0, +) + gap * (shown - 1) > width { shown -= 1 }
        widths.removeLast(widths.count - shown)

        var excess = widths.reduce(0, +) + gap * max(0, shown - 1) - width
        for flexibleFirst in [true, false] where excess > 0 {
            let floors = widths.indices.map(floor)
            let candidates = widths.indices.filter { columns[$0].flexible == flexibleFirst && !whole[$0] }
            while excess > 0 {
                guard let widest = candidates.filter({ widths[$0] > floors[$0] }).max(by: { widths[$0] < widths[$1] })
                else { break }
                let others = candidates.filter { $0 != widest && widths[$0] > floors[$0] }.map { widths[$0] }
                // Down to the next widest in one step, so wide columns shrink together.
                let target = max(floors[widest], others.max() ?? floors[widest], widths[widest] - excess)
                let step = max(1, widths[widest] - target)
                widths[widest] -= step
                excess -= step
            }
        }
        return shown
    }

    /// One record as "field  value" lines.
    private static func renderRecord(_ listing: Listing, width: Int?, colour: Bool) -> String {
        let titles = listing.columns.map(\.title)
        let keyWidth = titles.map(DisplayWidth.of).max() ?? 0
        var out = ""
        for row in listing.rows {
            for (index, cell) in row.enumerated() {
                let key = titles[index] + String(repeating: " ", count: keyWidth - DisplayWidth.of(titles[index]))
                var line = key + String(repeating: " ", count: gap) + clean(cell.tableText)
                while line.hasSuffix(" ") { line.removeLast() }
                if let width { line = DisplayWidth.truncate(line, to: width) }
                if colour, line.count >= key.count {
                    line = bold + String(line.prefix(key.count)) + reset + String(line.dropFirst(key.count))
                }
                out += line + "\n"
            }
        }
        return out
    }

    /// Names come from a server: control characters (an escape sequence in a project name)
    /// never reach the terminal, and a line break never splits a row.
    static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: \.isControlCharacter) else { return text }
        var cleaned = ""
        for scalar in text.unicodeScalars {
            if scalar == "\t" || scalar == "\n" || scalar == "\r" {
                cleaned.unicodeScalars.append(" ")
            } else if scalar.isControlCharacter {
                cleaned.unicodeScalars.append("\u{FFFD}")
            } else {
                cleaned.unicodeScalars.append(scalar)
            }
        }
        return cleaned
    }
}
