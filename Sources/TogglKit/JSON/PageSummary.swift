/// What pagination needs from a page: how many elements the top-level array holds and the
/// last element's `id`, read in one pass over the bytes without building a tree, so a 64 MiB
/// page of `{}` costs no more memory than its bytes (a jansson tree would cost ~80 bytes each).
struct PageSummary: Equatable, Sendable {
    enum LastID: Equatable, Sendable {
        /// An integer, an integral real (`12.0`) or a string holding a decimal integer.
        case integer(Int64)
        /// Missing, or not a number that names an id.
        case unusable
    }

    var count: Int
    var lastID: LastID

    /// `bytes` must already have passed `JSONValidator` as an array: only the structure is
    /// followed here, nothing is checked again.
    static func of(_ bytes: [UInt8]) -> PageSummary {
        bytes.withUnsafeBufferPointer { buffer in
            var scan = JSONScan(bytes: buffer)
            return scan.pageSummary()
        }
    }
}
