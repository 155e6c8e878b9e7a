// libFuzzer target: an error body becomes the message handed to the caller, and no secret
// planted in the body survives into it.
//
// Input: byte 0 picks the Content-Type (none, JSON, HTML, plain text); byte 1 picks a secret
// (low 2 bits: the API token, the password, the Basic credential, a password sent in a PUT
// body), how it is disguised (bits 2-4: as is, upper case, JSON \u escapes, HTML entities,
// percent-encoding, split by a tag, split by white space, JSON-string escaped) and whose client
// reads the message (bit 5: token or email/password authentication); bytes 2-3 where it goes
// into the rest, which is the body.
//
// Invariants: `ServerMessage.readable` returns (no trap) at most 301 characters, and the message
// contains no 8 characters in a row of any of the client's secrets (compared without case and
// white space, as a reader would see them).

@testable import TogglKit

private let token = "4f1c0e9a7b3d52c8e6a1f09b7d3c5e2a"
private let email = "fuzz.user@example.com"
private let password = "Pw-7fq2-Zx93-Lk!"
private let putPassword = "Put-Secret-48213"
private let basicToken = Base64.encode(Array("\(token):api_token".utf8))
private let basicLogin = Base64.encode(Array("\(email):\(password)".utf8))

private let tokenRedactor = SecretRedactor(Credentials(user: token, password: "api_token")).adding([putPassword])
private let loginRedactor = SecretRedactor(Credentials(user: email, password: password)).adding([putPassword])
private let contentTypes: [String?] = [nil, "application/json; charset=utf-8", "text/html", "text/plain"]

private func disguise(_ secret: String, _ how: Int) -> String {
    let scalars = Array(secret.unicodeScalars)
    switch how {
    case 1: return secret.uppercased()
    case 2: return scalars.map { "\\u" + hex($0.value, width: 4) }.joined()
    case 3: return scalars.map { "&#\($0.value);" }.joined()
    case 4: return secret.utf8.map { "%" + hex(UInt32($0), width: 2) }.joined()
    case 5: return String(secret.prefix(secret.count / 2)) + "<b></b>" + String(secret.dropFirst(secret.count / 2))
    case 6: return String(secret.prefix(secret.count / 3)) + " \n " + String(secret.dropFirst(secret.count / 3))
    case 7: return secret.replacingAll("\"", "\\\"").replacingAll("/", "\\/")
    default: return secret
    }
}

private func hex(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

extension String {
    fileprivate func replacingAll(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }

    /// Lower-cased, white space removed: what a reader would recognise.
    fileprivate var folded: [Unicode.Scalar] {
        Array(lowercased().unicodeScalars.filter { !$0.properties.isWhitespace })
    }
}

private func leaks(_ message: String, _ secret: String) -> String? {
    let text = message.folded
    let secretScalars = secret.folded
    let window = min(8, secretScalars.count)
    guard text.count >= window else { return nil }
    var pieces = Set<ArraySlice<Unicode.Scalar>>()
    for start in 0...(secretScalars.count - window) { pieces.insert(secretScalars[start..<(start + window)]) }
    for start in 0...(text.count - window) where pieces.contains(text[start..<(start + window)]) {
        return String(String.UnicodeScalarView(text[start..<(start + window)]))
    }
    return nil
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzErrorMessage(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size >= 4 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let contentType = contentTypes[Int(bytes[0]) % contentTypes.count]
    let which = Int(bytes[1] & 0x3)
    let how = Int(bytes[1] >> 2) & 0x7
    let rest = Array(bytes[4...])
    let position = min(rest.count, Int(bytes[2]) << 8 | Int(bytes[3]))
    let planted = [token, password, which == 2 ? basicLogin : basicToken, putPassword][which]
    let body = Array(rest[..<position]) + Array(disguise(planted, how).utf8) + Array(rest[position...])

    let login = bytes[1] & 0x20 != 0
    let (redactor, secrets) = login ? (loginRedactor, [password, basicLogin, putPassword])
                                    : (tokenRedactor, [token, basicToken, putPassword])
    do {
        let message = ServerMessage.readable(body: body, status: 400, contentType: contentType, redactor: redactor)
        if message.count > ServerMessage.maxLength + 1 {
            fatalError("message of \(message.count) characters: \(message.debugDescription)")
        }
        for secret in secrets {
            if let piece = leaks(message, secret) {
                fatalError("secret \(secret.debugDescription) leaks as \(piece.debugDescription) in \(message.debugDescription)")
            }
        }
    }
    return 0
}
