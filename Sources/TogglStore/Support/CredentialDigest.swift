import CCrypto
import TogglKit

/// A salted SHA-256 of the credential that synced a store: lets the store know a client of its
/// own account without a request, and keeps no credential in the file.
enum CredentialDigest {
    static let saltBytes = 16

    static func newSalt() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<saltBytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// SHA-256 of salt, a tag for the kind of credential, and the credential itself (the email
    /// lower-cased, as the server compares it).
    static func digest(_ authentication: TogglConfiguration.Authentication, salt: [UInt8]) throws(TogglError) -> [UInt8] {
        var input = salt
        switch authentication {
        case .apiToken(let token):
            input.append(contentsOf: Array("token\0".utf8))
            input.append(contentsOf: Array(token.utf8))
        case .emailPassword(let email, let password):
            input.append(contentsOf: Array("email\0".utf8))
            input.append(contentsOf: Array(email.lowercased().utf8))
            input.append(0)
            input.append(contentsOf: Array(password.utf8))
        }
        defer { for index in input.indices { input[index] = 0 } }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = input.withUnsafeBytes { raw in
            EVP_Digest(raw.baseAddress, raw.count, &digest, &length, EVP_sha256(), nil)
        }
        guard ok == 1, length == 32 else { throw TogglError(.internal, "SHA-256 from libcrypto failed") }
        return Array(digest.prefix(32))
    }
}
