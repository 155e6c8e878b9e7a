#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ArgumentParser

// Before anything can start a thread: SIGINT is taken by a watcher thread from here on.
Interrupt.install()

/// Parses, runs, and turns every failure into one line on stderr and DESIGN.md's exit code.
/// Help, --version and completion scripts go to stdout with status 0, as argument-parser does
/// (74 when they cannot be written).
func runToggl() -> Int32 {
    var command: ParsableCommand
    do {
        command = try Toggl.parseAsRoot()
    } catch {
        let code = Toggl.exitCode(for: error)
        if code == .success { return printCleanExit(error) }
        var message = Failure.oneLine(Toggl.message(for: error))
        if let first = message.first, first.isUppercase, message.dropFirst().first?.isLowercase == true {
            message = first.lowercased() + message.dropFirst()
        }
        // "Unknown option '--jsno'. Did you mean '--json'?" as one clause of the line.
        if let hint = message.firstRange(of: ". Did you mean "), message.hasSuffix("?") {
            message = message[..<hint.lowerBound] + " (did you mean " + message[hint.upperBound...] + ")"
        }
        while message.hasSuffix(".") { message.removeLast() }
        Terminal.printError("\(message); see '\(helpCommand())'")
        return code.rawValue
    }
    do {
        try command.run()
    } catch let failure as Failure {
        Terminal.printError(failure.message)
        return failure.exitCode
    } catch {
        let code = Toggl.exitCode(for: error)
        if code == .success { return printCleanExit(error) }
        Terminal.printError(Failure.oneLine(Toggl.message(for: error)))
        return code.rawValue
    }
    if Interrupt.wasInterrupted {
        Terminal.printError("cancelled")
        return ExitCodes.interrupted
    }
    return ExitCodes.ok
}

/// Help, --version and a completion script: argument-parser's text, written like any other
/// output, so that a write that fails ends with 74 rather than 0.
func printCleanExit(_ error: Error) -> Int32 {
    let text = Toggl.fullMessage(for: error)
    if !text.isEmpty { Terminal.write(text + "\n") }
    return ExitCodes.ok
}

/// "toggl projects --help" when the words name a command, else "toggl --help".
func helpCommand() -> String {
    let names = Toggl.configuration.subcommands.compactMap { $0.configuration.commandName }
    if let word = CommandLine.arguments.dropFirst().first(where: { !$0.hasPrefix("-") }), names.contains(word) {
        return "toggl \(word) --help"
    }
    return "toggl --help"
}

let status = runToggl()
Terminal.flush()
// Output that did not all arrive (a full disk, a closed file) must not look like success.
if let failure = Terminal.outputFailure() {
    Terminal.writeAll(Array("toggl: \(failure)\n".utf8), to: STDERR_FILENO)
    exit(ExitCodes.ioError)
}
exit(status)
