import Foundation
import InterlinkCore
import InterlinkSystem

extension SlurmPlatform {
    /// The most jobs in one array: the configured bound, else the cluster's `MaxArraySize` (read once).
    ///
    /// - Throws: ``PlatformError`` when the controller cannot be reached.
    func arrayLimit() async throws -> Int {
        if let configured = configuration.maximumArraySize { return configured }
        if let known = attempts.maximumArraySize { return known }
        let read = try await client.maxArraySize() ?? 1
        attempts.maximumArraySize = read
        logger.debug("slurm.array.limit", metadata: ["slurm.max_array_size": "\(read)"])
        return read
    }

    /// Sends a closed batch: one job alone, several as one `sbatch --array=0-N` whose task `I` runs member `I`.
    ///
    /// Each member's place (the array's marker and its index) is written before the `sbatch`, so a lost answer is
    /// found again by the array's marker; the array is sent by the earliest bound of its members, or not at all.
    ///
    /// - Parameters:
    ///   - members: The jobs, in the order they joined.
    ///   - record: The first member's record (all share its resources).
    /// - Returns: Each member's Slurm id (`A_I` in an array).
    /// - Throws: ``PlatformError``: `needsReconcile` when `sbatch` failed or its answer is unknown.
    func sendArray(_ members: [SubmitBatcher.Member], record: SlurmJobRecord) async throws -> [String: String] {
        let sendBy = members.compactMap(\.sendBy).min()
        let markers = members.map(\.marker)
        if markers.count == 1 {
            let script = BatchScript(
                marker: markers[0],
                name: record.name,
                command: record.command,
                environment: record.environment,
                jobDirectory: layout.job(markers[0]),
                workDirectory: layout.work(markers[0]),
                minutes: record.minutes,
                tasks: record.slots,
                cpusPerTask: record.coresPerSlot
            )
            try await sendAlone(
                markers[0],
                arguments: script.arguments(settings: configuration.settings),
                sendBy: sendBy
            )
            guard let id = await RecordFile.readText(layout.slurmID(markers[0]))?.split(separator: "\n").first else {
                throw PlatformError(.notFound(markers[0]), retryClass: .needsReconcile)
            }
            return [markers[0]: String(id)]
        }
        try Self.checkWindow(sendBy)
        let marker = "ila-" + SlurmLayout.digest(UUID().uuidString + markers.joined(separator: ","))
        let script = ArrayScript(
            marker: marker,
            directory: layout.array(marker),
            count: markers.count,
            minutes: record.minutes,
            tasks: record.slots,
            cpusPerTask: record.coresPerSlot
        )
        let (directory, jobs) = (script.directory, markers.map { "../../jobs/" + $0 })
        do {
            try await Blocking.run {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                for (index, job) in jobs.enumerated() {
                    try FileManager.default.createSymbolicLink(
                        atPath: directory + "/\(index)",
                        withDestinationPath: job
                    )
                }
            }
        } catch {
            throw PlatformError(.localFile(path: directory, message: ErrorText.describe(error)), retryClass: .retryable)
        }
        try await RecordFile.writeText(script.text, to: directory + "/array.sh")
        try await Array(markers.enumerated()).concurrentForEach(limit: 8) { [layout] index, member in
            try await RecordFile.write(ArrayMembership(array: marker, index: index), to: layout.membership(member))
        }
        try await pacer.waitForSlot()
        attempts.note(array: markers)
        let id = try await sbatch(
            script.arguments(settings: configuration.settings) + [directory + "/array.sh"],
            timeout: try sbatchTimeout(sendBy: sendBy)
        )
        var ids: [String: String] = [:]
        for (index, member) in markers.enumerated() { ids[member] = "\(id)_\(index)" }
        let placed = ids
        try await Array(placed).concurrentForEach(limit: 8) { [layout] member, task in
            try await RecordFile.writeText(task + "\n", to: layout.slurmID(member))
        }
        await board.invalidate()
        logger.debug(
            "slurm.array.submitted",
            metadata: ["slurm.marker": "\(marker)", "slurm.job_id": "\(id)", "slurm.tasks": "\(markers.count)"]
        )
        return ids
    }
}
