import ArgumentParser
import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkSystem

/// `rescale-int outputs <workflow|run> [--job NAME]... [--to DIR]`: downloads a run's outputs again.
package struct OutputsCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "outputs",
        abstract: "Download a run's outputs again.",
        discussion: """
            Accepts a workflow file, its directory, a run id or a run directory. Every output the run listed is \
            checked at its destination (size and checksum) and downloaded again when missing or changed; jobs \
            are not run. --to DIR puts them in DIR/<job>/ instead.

            \(ExitStatus.helpText([.success, .usage, .invalidInput, .unavailable, .ioError, .inUse, .configuration]))
            """
    )

    /// The run.
    @Argument(help: "A workflow file, its directory, a run id or a run directory (default: the newest unfinished run).")
    package var run: String?

    /// Only these jobs.
    @Option(name: .customLong("job"), help: "Only this job's outputs (repeatable).")
    package var jobs: [String] = []

    /// Another destination.
    @Option(help: "Download into DIR/<job>/ instead of each job's destination.")
    package var to: String?

    /// The Rescale profile and host options.
    @OptionGroup package var connection: ConnectionOptions

    /// Creates the command (ArgumentParser fills it in).
    package init() {}

    package func run() async throws {
        let currentDirectory = FileManager.default.currentDirectoryPath
        try await Console.exit { () throws(CommandFailure) -> ExitStatus in
            let snapshot = try RunSnapshot(directory: RunStore.resolve(run, currentDirectory: currentDirectory))
            let names = Set(snapshot.plan.jobs.map(\.name))
            if let unknown = jobs.first(where: { !names.contains($0) }) {
                throw CommandFailure.usage(
                    "run \(snapshot.runID) has no job '\(unknown)'",
                    help: "use one of: \(names.sorted().prefix(10).joined(separator: ", "))"
                )
            }
            let outputs = RunOutputs.outputs(
                plan: snapshot.plan,
                state: snapshot.state,
                jobs: jobs.isEmpty ? nil : Set(jobs)
            )
            guard !outputs.isEmpty else {
                print("run \(snapshot.runID): no outputs listed yet (its jobs have not finished)")
                return .success
            }
            let platform = try await PlatformChoice.make(for: snapshot.plan, connection: connection)
            let target = to.map { PathName.resolve($0, against: currentDirectory) }
            let counts: (fetched: Int, present: Int)
            do {
                counts = try await fetch(outputs, into: target, platform: platform.platform)
            } catch {
                await platform.close()
                throw StopCommand.failure(error, run: snapshot.runID)
            }
            await platform.close()
            let place = target.map { PathName.relative($0, to: currentDirectory) ?? $0 } ?? "their destinations"
            print(
                "run \(snapshot.runID): \(counts.fetched) outputs downloaded, \(counts.present) already present, "
                    + "in \(place)"
            )
            return .success
        }
    }

    /// Downloads each output whose file is missing or changed; returns how many it fetched and found present.
    private func fetch(_ outputs: [RunOutputs.Output], into target: String?, platform: any Platform) async throws
        -> (fetched: Int, present: Int)
    {
        var fetched = 0
        var present = 0
        var placed: [(output: RunOutputs.Output, path: String)] = []
        for output in outputs {
            var path = output.placement.path
            if let target {
                let folder = PathName.join(target, output.node.name)
                path = PathName.join(folder, output.placement.relativePath)
                guard PathContainment.isInside(path, directory: folder) else {
                    throw PlatformError(
                        .localFile(path: path, message: "refusing to write outside '\(folder)'"),
                        retryClass: .fatal
                    )
                }
            }
            placed.append((output, path))
        }
        let sizes = placed.map { ($0.path, $0.output.placement.output.bytes) }
        if let directory = target ?? placed.first.map({ PathName.dirname($0.path) }) {
            // A stat per file and a statvfs, before the first byte: off the cooperative pool.
            try await Blocking.run { () throws(PlatformError) in try Self.checkFreeSpace(sizes, in: directory) }
        }
        for (output, path) in placed {
            if try await platform.verifyDownload(output.placement.output, at: path) != nil {
                present += 1
                continue
            }
            _ = try await platform.download(output.placement.output, to: path) { _ in }
            fetched += 1
        }
        return (fetched, present)
    }

    /// Refuses when the files not yet at their path (by size) need more than the free space less 15 %.
    private static func checkFreeSpace(_ files: [(path: String, bytes: Int64)], in directory: String)
        throws(PlatformError)
    {
        let needed = files.reduce(Int64(0)) { total, file in
            let size = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? NSNumber
            return size?.int64Value == file.bytes ? total : total + file.bytes
        }
        guard needed > 0 else { return }
        let available: Int64
        do {
            available = try FreeSpace.available(at: directory)
        } catch {
            throw PlatformError(.localFile(path: directory, message: "\(error)"), retryClass: .fatal)
        }
        if let refusal = OutputSpace.refusal(needed: needed, available: available, destination: directory) {
            throw refusal
        }
    }
}
