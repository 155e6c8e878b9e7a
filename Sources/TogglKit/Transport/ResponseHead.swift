/// The header lines of one transfer, as libcurl hands them to the header callback one at a time.
///
/// A status line comes first, then header lines up to a blank line; after a 1xx (interim)
/// response another status line follows. Once the final response's headers are complete,
/// whatever else arrives (the trailers of a chunked body, which may look like anything,
/// `HTTP/1.1 500` included) is ignored: it can neither replace the headers nor the body.
struct ResponseHead {
    /// Headers are not counted against the body's cap; this bounds them on their own.
    static let maxBytes = 256 * 1024

    enum Phase: Equatable { case statusLine, headers(status: Int), done }

    private(set) var phase = Phase.statusLine
    /// Names lower-cased, values trimmed, of the final response only.
    private(set) var headers: [(name: String, value: String)] = []
    private(set) var byteCount = 0

    /// Takes one line (with its CR LF). False when the headers have grown past `maxBytes`:
    /// the transfer must stop.
    mutating func consume(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        byteCount += line.count
        guard byteCount <= Self.maxBytes else { return false }
        switch phase {
        case .statusLine:
            headers.removeAll()
            phase = .headers(status: Self.status(ofStatusLine: line))
        case .headers(let status):
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }) {
                phase = (100..<200).contains(status) ? .statusLine : .done
            } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
                let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
                let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingASCIIWhitespace()
                headers.append((name: name, value: value))
            }
        case .done:
            break
        }
        return true
    }

    var isComplete: Bool { phase == .done }

    /// The last value of `name` (lower-case).
    func header(_ name: String) -> String? {
        headers.last { $0.name == name }?.value
    }

    /// `HTTP/1.1 200 OK` → 200; 0 when the line has no three-digit status where one belongs.
    static func status(ofStatusLine line: UnsafeBufferPointer<UInt8>) -> Int {
        guard let space = line.firstIndex(of: 0x20) else { return 0 }
        let digits = line[(space + 1)...].prefix { (0x30...0x39).contains($0) }
        guard digits.count == 3 else { return 0 }
        return digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
}
