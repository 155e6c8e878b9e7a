extension Unicode.Scalar {
    /// Characters that must never reach a terminal as they are: they act instead of showing.
    /// The one check that tables, CSV on a terminal, error messages and `update-me`'s values share.
    ///
    /// - C0 controls and DEL (an escape sequence starts with ESC), and C1 controls U+0080–U+009F
    ///   (U+009B is CSI, an escape sequence in one character, for terminals that take C1);
    /// - the line and paragraph separators U+2028 and U+2029, which break a line;
    /// - the bidi embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069, which
    ///   reorder what follows them, up to the end of the line: a name could make the rest of a
    ///   row (its id, another column) read differently from the bytes ("Trojan Source").
    var isControlCharacter: Bool {
        switch value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
