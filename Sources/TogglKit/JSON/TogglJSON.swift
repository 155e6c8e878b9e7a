/// Entry points for turning response bytes into typed models.
public enum TogglJSON {
    /// How deep typed decoding follows nested values; deeper ones fail with `.decode` (or, inside
    /// an optional field, are dropped and reported) instead of using stack in proportion to the
    /// input. 64 levels is far beyond any model (a user with related data nests 5 deep); it is
    /// exercised on a 512 KiB thread (`HardeningTests.deepNestingFailsCleanlyOnASmallStack`).
    public static let maxDepth = 64

    /// Decodes `type` from JSON bytes, dropping what does not fit (see `decodeReportingIssues`).
    ///
    /// Tolerant like the real API needs: missing keys and `null` decode as nil for optionals,
    /// unknown keys are ignored, integral reals are accepted where an integer is expected, and a
    /// value of the wrong type for an optional field decodes as nil. Only a document that is not
    /// JSON, or whose top level is not the shape of `type`, throws.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(TogglError) -> T {
        try decodeReportingIssues(type, from: bytes).value
    }

    /// Decodes `type` from JSON bytes and reports every value that was dropped on the way.
    ///
    /// The bytes are scanned once into a tape (the validator's scan: the grammar jansson accepts)
    /// and decoded from it without a tree; nothing recurses in proportion to the input's depth.
    public static func decodeReportingIssues<T: Decodable>(_ type: T.Type,
                                                           from bytes: [UInt8]) throws(TogglError) -> Decoded<T> {
        try bytes.withUnsafeBufferPointer { buffer throws(TogglError) -> Decoded<T> in
            let tape = try JSONValidator.tape(buffer)
            return try tape.withUnsafeBufferPointer { entries throws(TogglError) -> Decoded<T> in
                let context = TapeContext(bytes: buffer, tape: entries)
                defer { context.isOpen = false }
                do {
                    let value = try context.decode(T.self, at: 0)
                    return Decoded(value: value, issues: context.issues)
                } catch let error as DecodingError {
                    throw TogglError(.decode, error.readableDescription)
                } catch let error as TogglError {
                    throw error
                } catch {
                    throw TogglError(.decode, "\(error)")
                }
            }
        }
    }
}
