// swift-tools-version:6.0
// A package of a new user, built by Tests/Consumer/run.sh: it depends on libtoggl by a tagged git
// URL, as a remote user does (a path dependency would be exempt from SwiftPM's unsafe-flags check,
// which a URL dependency is not), and uses TogglKit and TogglStore against the sandbox.
import PackageDescription

guard let libtoggl = Context.environment["LIBTOGGL_GIT_URL"] else {
    fatalError("LIBTOGGL_GIT_URL is not set: run Tests/Consumer/run.sh")
}

let package = Package(
    name: "TogglConsumer",
    dependencies: [
        .package(url: libtoggl, from: "0.2.0"),
    ],
    targets: [
        .executableTarget(
            name: "TogglConsumer",
            dependencies: [
                .product(name: "TogglKit", package: "libtoggl"),
                .product(name: "TogglStore", package: "libtoggl"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
