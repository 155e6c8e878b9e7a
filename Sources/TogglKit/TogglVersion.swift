/// libtoggl's version: the one in the repository's `VERSION` file.
///
/// SwiftPM cannot read `VERSION` at build time, so this is a copy; `FactsTests` fails when it, the
/// header's `TOGGL_VERSION*` macros or the Python package disagree with `VERSION`. The C library
/// reports the same values through `toggl_version()` and `toggl_version_number()`.
public enum TogglVersion {
    /// The parts of `string`.
    public static let major = 0
    public static let minor = 2
    public static let patch = 0
    /// `"major.minor.patch"`, e.g. `"0.2.0"`.
    public static let string = "\(major).\(minor).\(patch)"
    /// `major * 1_000_000 + minor * 1_000 + patch` (2000 for 0.2.0), like `SQLITE_VERSION_NUMBER`:
    /// later versions compare greater.
    public static let number = major * 1_000_000 + minor * 1_000 + patch
}
