import ArgumentParser

/// `--json` and `--csv`; neither prints a table.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print the objects as one JSON document (as the store or the server holds them).")
    var json = false

    @Flag(help: "Print comma-separated values (RFC 4180) with a header row.")
    var csv = false

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv cannot be combined; pick one") }
    }

    var format: OutputFormat { json ? .json : csv ? .csv : .table }
}
