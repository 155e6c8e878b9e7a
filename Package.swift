// swift-tools-version:6.0
import PackageDescription

// TogglKit carries no unsafeFlags so that other SwiftPM packages can depend on it. The export
// list of libtoggl.so is on CToggl below; its SONAME and static Swift runtime are passed by the
// Makefile on the command line when it links the `toggl` product for release.
let package = Package(
    name: "libtoggl",
    products: [
        .library(name: "TogglKit", targets: ["TogglKit"]),
        .library(name: "TogglKitFoundationCompat", targets: ["TogglKitFoundationCompat"]),
        .library(name: "TogglStore", targets: ["TogglStore"]),
        // libtoggl.so: the C ABI. Built for release by the Makefile, which adds the linker flags.
        .library(name: "toggl", type: .dynamic, targets: ["CToggl"]),
        // The `toggl` command-line tool (the Makefile installs it under that name).
        .executable(name: "toggl-cli", targets: ["TogglCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CJansson",
            pkgConfig: "jansson",
            providers: [.apt(["libjansson-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(
            name: "TogglKit",
            dependencies: ["CCurl", "CJansson"]
        ),
        // The local mirror (SQLite). TogglKit never depends on it.
        .target(
            name: "TogglStore",
            dependencies: ["TogglKit", "CSQLite", "CCrypto"]
        ),
        .target(
            name: "TogglKitFoundationCompat",
            dependencies: ["TogglKit"]
        ),
        .target(name: "CTogglSupport"),
        .target(
            name: "CToggl",
            dependencies: ["TogglKit", "TogglStore", "CTogglSupport"],
            exclude: ["libtoggl.map"],
            // Every build of libtoggl.so, debug included, exports the C API and nothing else.
            // Only this target carries unsafe flags: packages that use TogglKit never build it.
            // lld, because ld.gold leaves LOCAL mangled entries in .dynsym.
            linkerSettings: [.unsafeFlags([
                "-use-ld=lld",
                "-Xlinker", "--version-script=\(Context.packageDirectory)/Sources/CToggl/libtoggl.map",
            ])]
        ),
        // The `toggl` command: reads through the store. It imports no Foundation (argument-parser
        // brings FoundationEssentials, linked statically like the Swift runtime).
        .executableTarget(
            name: "TogglCLI",
            dependencies: [
                "TogglKit", "TogglStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // make bench: typed decoding against Foundation's JSONDecoder and Python's json (imports
        // Foundation; TogglKit does not).
        .executableTarget(
            name: "TypedDecodeBench",
            dependencies: ["TogglKit"],
            path: "bench/TypedDecode"
        ),
        // make bench: the local store against the sandbox (snapshot cost, reads, size on disk).
        .executableTarget(
            name: "StoreBench",
            dependencies: ["TogglStore", "TogglKit"],
            path: "bench/Store"
        ),
        // Hermetic unit tests: no server, no network.
        .testTarget(
            name: "TogglKitTests",
            dependencies: ["TogglKit", "CJansson", "CCurl", "TestSupport"],
            exclude: ["Fixtures"]
        ),
        // Tests against the sandbox server (Tests/Sandbox), which they start on 127.0.0.1.
        .testTarget(
            name: "TogglKitSandboxTests",
            dependencies: ["TogglKit", "TogglStore", "CJansson", "CCurl", "TestSupport"]
        ),
        // The store without a server: opening, refusing, migrating, the rows it writes.
        .testTarget(
            name: "TogglStoreTests",
            dependencies: ["TogglStore", "TogglKit", "CSQLite"]
        ),
        // Fixtures and threads for both test targets.
        .target(
            name: "TestSupport",
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "TogglKitFoundationCompatTests",
            dependencies: ["TogglKitFoundationCompat"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
