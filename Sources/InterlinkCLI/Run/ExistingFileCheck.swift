import Foundation
import InterlinkCore

/// The files a plan attaches by id (a jobs CSV's `ExtraInputFileIDs`, `--extra-input-files`, a workflow's
/// `file_id:` inputs), checked on the platform before anything is uploaded or created.
package enum ExistingFileCheck {
    /// How many lookups run at once.
    static let lookups = 8

    /// Each distinct file id of the plan with the nodes that attach it, in plan order.
    ///
    /// - Parameter plan: The plan.
    /// - Returns: `(id, nodes)` pairs, ids in order of first use.
    package static func references(in plan: Plan) -> [(id: String, nodes: [PlanNode])] {
        var order: [String] = []
        var users: [String: [PlanNode]] = [:]
        for node in plan.nodes {
            for file in node.existingFiles {
                if users[file.id] == nil { order.append(file.id) }
                if users[file.id]?.contains(where: { $0.id == node.id }) != true {
                    users[file.id, default: []].append(node)
                }
            }
        }
        return order.map { ($0, users[$0] ?? []) }
    }

    /// One located error per file id the platform does not hold.
    ///
    /// - Parameters:
    ///   - plan: The plan.
    ///   - currentDirectory: Where a local path given as an id would be found (for the help line).
    ///   - holds: Whether the platform holds a file id.
    /// - Returns: The errors, in order of first use; empty when every file exists.
    /// - Throws: What `holds` throws (the platform cannot be asked).
    package static func missing(
        in plan: Plan,
        currentDirectory: String,
        holds: @escaping @Sendable (String) async throws -> Bool
    ) async throws -> [Diagnostic] {
        let references = references(in: plan)
        let held = try await references.map(\.id).concurrentMap(limit: lookups) { try await holds($0) }
        return zip(references, held).filter { !$1 }.map { reference, _ in
            let first = reference.nodes.first
            let others = reference.nodes.count > 1 ? " and \(reference.nodes.count - 1) more" : ""
            let user = first.map { " (attached to '\($0.name)'\(others))" } ?? ""
            let local = PathName.resolve(reference.id, against: currentDirectory)
            let help =
                FileManager.default.fileExists(atPath: local)
                ? "'\(reference.id)' is a local file: upload it with 'rescale-int files upload \(reference.id)' "
                    + "and give the file id it prints"
                : "check the id with 'rescale-int files list'; fix or remove it in ExtraInputFileIDs or "
                    + "--extra-input-files"
            return Diagnostic.error(
                "input file '\(reference.id)' does not exist on the platform\(user)",
                help: help,
                at: first?.job?.origin
            )
        }
    }
}
