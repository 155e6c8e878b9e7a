/// How a command prints its answer (`--json`, `--csv`, or a table).
enum OutputFormat {
    case table, json, csv
}

enum Printer {
    /// A listing as a table fitted to the terminal, or as CSV.
    static func show(_ listing: Listing, as format: OutputFormat) {
        switch format {
        case .csv:
            Terminal.write(CSV.render(listing, onTerminal: Terminal.stdoutIsTerminal))
        case .table, .json:
            Terminal.write(Table.render(listing, width: Terminal.outputWidth(), colour: Terminal.stdoutUsesColour))
        }
    }

    /// One JSON document, exactly the bytes given (the store's or the server's), and a newline.
    static func json(_ bytes: [UInt8]) {
        Terminal.write(bytes)
        Terminal.write("\n")
    }

    static func json(_ text: String) {
        json(Array(text.utf8))
    }
}
