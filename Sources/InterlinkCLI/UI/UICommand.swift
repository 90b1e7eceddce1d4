import ArgumentParser
import Foundation
import InterlinkCore
import InterlinkSystem
import InterlinkWeb
import Logging

/// `rescale-int ui [DIR] [--port N] [--no-open]`: the web UI of a study directory, served on 127.0.0.1.
///
/// The server prints a URL with a one-time token; the browser exchanges it for a session cookie. Runs, resumes
/// and stops started from the page are this same binary's `run --json`, `resume --json` and `stop` commands.
package struct UICommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "ui",
        abstract: "Serve the web UI (Setup, Runs, Jobs, Files, Activity) on 127.0.0.1.",
        discussion: """
            Listens on 127.0.0.1 only (port 0: the system picks one) and prints the URL with a one-time token, \
            which the browser exchanges for a session cookie. Opens a browser unless --no-open is given or there \
            is no display (DISPLAY or WAYLAND_DISPLAY). Ctrl-C stops the server and interrupts the runs it \
            started (resume them with 'rescale-int resume').

            \(ExitStatus.helpText([.success, .usage, .ioError]))
            """
    )

    /// The study directory.
    @Argument(help: "The directory whose workflows and runs to show (default: the current directory).")
    package var directory: String?

    /// The port.
    @Option(help: "The port on 127.0.0.1 (default: 0, any free port).")
    package var port = 0

    /// Whether to skip opening a browser.
    @Flag(help: "Print the URL only; do not open a browser.")
    package var noOpen = false

    /// The connection the Setup, Jobs and Files tabs use.
    @OptionGroup package var connection: ConnectionOptions

    /// Creates the command (ArgumentParser fills it in).
    package init() {}

    package func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
    }

    package func run() async throws {
        let current = FileManager.default.currentDirectoryPath
        let path = PathName.normalize(PathName.resolve(directory ?? ".", against: current))
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CommandFailure.usage("no directory '\(directory ?? ".")'", help: "give an existing study directory")
        }
        let environment = CommandContext.current.environment()
        let events = WebEventBus()
        let services = WebServices(
            directory: path,
            runs: UIRunCatalog(),
            connection: UIConnection(options: connection, environment: environment),
            processes: WebProcesses(
                executable: Self.executable,
                environment: environment,
                directory: path,
                leadingArguments: WebProcesses.configArguments(
                    CommandContext.current.options.configFile,
                    current: current
                ),
                events: events
            ),
            events: events
        )
        let server = WebServer(services: services, port: port, logger: Logger(label: "rescale-int.ui"))
        let open = !noOpen
        do {
            try await server.run { _, login in
                FileHandle.standardOutput.write(Data("rescale-int ui: serving \(path)\nopen \(login)\n".utf8))
                if open { await Self.openBrowser(login, environment: environment) }
                let (signals, _) = SignalListener.makeStream()
                for await _ in signals { break }
                FileHandle.standardError.write(Data("rescale-int ui: stopping\n".utf8))
            }
        } catch let error as WebError {
            throw CommandFailure([.error(error.description)], status: .ioError)
        }
    }

    /// This binary: the commands the UI starts are its own.
    static var executable: String {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        #endif
        return PathName.resolve(
            CommandLine.arguments.first ?? "rescale-int",
            against: FileManager.default.currentDirectoryPath
        )
    }

    /// Opens the URL with `xdg-open` (Linux, only with a display) or `open` (macOS); a failure is only reported.
    static func openBrowser(_ url: String, environment: [String: String]) async {
        #if os(macOS)
        let opener = "/usr/bin/open"
        #else
        guard !(environment["DISPLAY"] ?? "").isEmpty || !(environment["WAYLAND_DISPLAY"] ?? "").isEmpty else {
            FileHandle.standardError.write(Data("rescale-int ui: no display; open the URL above in a browser\n".utf8))
            return
        }
        let opener = "/usr/bin/xdg-open"
        #endif
        let process = Process()
        process.executableURL = URL(fileURLWithPath: opener)
        process.arguments = [url]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            FileHandle.standardError.write(Data("rescale-int ui: could not start \(opener): \(error)\n".utf8))
            return
        }
        await Blocking.onOwnThread { ProcessExit.wait(process) }
    }
}
