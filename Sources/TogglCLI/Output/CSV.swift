/// A listing as RFC 4180 CSV: a header of JSON keys, CRLF line ends, and a field quoted (its
/// quotes doubled) when it holds a comma, a quote, CR or LF.
enum CSV {
    static func render(_ listing: Listing) -> String {
        var out = line(listing.columns.map(\.key))
        for row in listing.rows { out += line(row.map(\.csvText)) }
        return out
    }

    private static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ text: String) -> String {
        // Other control characters (an escape in a name) would act on a terminal that shows
        // the file; CR, LF and tab are data that quoting carries.
        var value = ""
        for scalar in text.unicodeScalars {
            let keep = scalar == "\t" || scalar == "\n" || scalar == "\r" || !Table.isControl(scalar)
            value.unicodeScalars.append(keep ? scalar : "\u{FFFD}")
        }
        guard value.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else {
            return value
        }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            if scalar == "\"" { quoted += "\"\"" } else { quoted.unicodeScalars.append(scalar) }
        }
        return quoted + "\""
    }
}
