/// A listing as RFC 4180 CSV: a header of JSON keys, CRLF line ends, and a field quoted (its
/// quotes doubled) when it holds a comma, a quote, CR or LF.
///
/// CSV is data for a program, so it stays as the server sent it as far as it can: CR, LF and tab
/// are carried by quoting, and bidi controls and C1 controls are passed unchanged to a pipe or a
/// file (a right-to-left name needs its marks; replacing them would make the CSV disagree with
/// `--json`). Two exceptions, where the bytes would act instead of being shown:
/// - C0 controls and DEL (ESC starts an escape sequence) become U+FFFD everywhere: a pipe or a
///   file gets no escape code at all (README, "Command-line tool"), and `cat file.csv` is safe;
/// - on a terminal, every control character of `Unicode.Scalar.isControlCharacter` (bidi and
///   C1 too) becomes U+FFFD, as in a table: there the output is read by a person.
enum CSV {
    static func render(_ listing: Listing, onTerminal: Bool) -> String {
        var out = line(listing.columns.map(\.key), onTerminal: onTerminal)
        for row in listing.rows { out += line(row.map(\.csvText), onTerminal: onTerminal) }
        return out
    }

    private static func line(_ fields: [String], onTerminal: Bool) -> String {
        fields.map { field($0, onTerminal: onTerminal) }.joined(separator: ",") + "\r\n"
    }

    static func field(_ text: String, onTerminal: Bool) -> String {
        var value = ""
        for scalar in text.unicodeScalars {
            let replaced = scalar != "\t" && scalar != "\n" && scalar != "\r"
                && (onTerminal ? scalar.isControlCharacter : scalar.value < 0x20 || scalar.value == 0x7F)
            value.unicodeScalars.append(replaced ? "\u{FFFD}" : scalar)
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
