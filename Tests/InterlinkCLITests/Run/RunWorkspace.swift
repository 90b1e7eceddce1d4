import Foundation
import Testing

/// A copy of the repository's `examples/` and `workflows/` in a unique temporary directory, with helpers to read
/// what a run left there.
struct RunWorkspace {
    /// The repository root (this file is `Tests/InterlinkCLITests/Run/RunWorkspace.swift`).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The temporary root.
    let root: String

    /// Copies the shipped examples and workflows.
    init(label: String = "run") throws {
        root = NSTemporaryDirectory() + "interlink-\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for folder in ["examples", "workflows"] {
            try FileManager.default.copyItem(
                atPath: Self.repository.appendingPathComponent(folder).path,
                toPath: root + "/" + folder
            )
        }
    }

    /// A one-job workflow named `slow` whose job waits for `gate` to exist (at most 30 s) and then runs
    /// `afterwards`, so that it is surely still running when a test interrupts or races it.
    static func gatedWorkflow(gate: String, afterwards: String = "") -> String {
        let command = "for i in $(seq 600); do [ -e '\(gate)' ] && break; sleep 0.05; done" + afterwards
        return """
            version: 1
            name: slow
            jobs:
              - name: slow
                inputs: [mesh]
                command: "\(command)"
            """
    }

    /// Removes the copy.
    func remove() { try? FileManager.default.removeItem(atPath: root) }

    /// The single run directory under `<folder>/.interlink/runs` (a process killed before it froze its plan leaves
    /// an empty directory that nothing can continue; those are not runs).
    func runDirectory(in folder: String) throws -> String {
        let runs = root + "/" + folder + "/.interlink/runs"
        let names = try FileManager.default.contentsOfDirectory(atPath: runs).filter {
            !$0.hasPrefix(".") && FileManager.default.fileExists(atPath: runs + "/" + $0 + "/plan.json")
        }
        #expect(names.count == 1, "expected one run, found \(names)")
        return runs + "/" + (try #require(names.first))
    }

    /// The records the local cloud keeps of `kind` (`jobs` or `files`) in `<folder>/.interlink/local/records.jsonl`,
    /// the latest of each id, without the removed ones.
    func cloudRecords(_ kind: String, in folder: String) throws -> [[String: Any]] {
        let path = root + "/" + folder + "/.interlink/local/records.jsonl"
        let key = kind == "jobs" ? "job" : "file"
        let removals = kind == "jobs" ? "removedJobs" : "removedFiles"
        var records: [String: [String: Any]] = [:]
        var order: [String] = []
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            if let record = object[key] as? [String: Any], let id = record["id"] as? String {
                if records[id] == nil { order.append(id) }
                records[id] = record
            }
            for id in object[removals] as? [String] ?? [] { records[id] = nil }
        }
        return order.compactMap { records[$0] }
    }

    /// The journal's records as dictionaries.
    func journal(in folder: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: try runDirectory(in: folder) + "/journal.jsonl", encoding: .utf8)
        return try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// Every regular file under `<folder>/results`, by relative path, with its contents.
    func results(in folder: String) -> [String: String] {
        let base = root + "/" + folder + "/results"
        var files: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: base)
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: base + "/" + path, isDirectory: &isDirectory),
                !isDirectory.boolValue
            else { continue }
            files[path] = (try? String(contentsOfFile: base + "/" + path, encoding: .utf8)) ?? ""
        }
        return files
    }

    /// The node states `status --json` reports, by node.
    func statusStates(of folder: String) async throws -> [String: String] {
        let result = try await CLIProcess.run(["status", "--json", try runDirectory(in: folder)], in: root)
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let nodes = try #require(document["nodes"] as? [[String: Any]])
        return Dictionary(
            uniqueKeysWithValues: nodes.compactMap { node in
                (node["node"] as? String).map { ($0, node["state"] as? String ?? "") }
            }
        )
    }
}
