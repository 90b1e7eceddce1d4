import Foundation
import InterlinkCore

/// The files under the study directory the Runs tab offers to plan and run.
enum WebWorkflows {
    /// The workflow files (`.yaml`, `.yml`, `.json` but not plans, `.csv` but not templates, `.sh`) in the study
    /// directory and one level below, as paths relative to it, sorted; at most 500.
    static func files(under directory: String) -> [String] {
        let manager = FileManager.default
        var found: [String] = []
        var folders = [""]
        if let names = try? manager.contentsOfDirectory(atPath: directory) {
            for name in names.sorted() where !name.hasPrefix(".") {
                var isDirectory: ObjCBool = false
                if manager.fileExists(atPath: PathName.join(directory, name), isDirectory: &isDirectory),
                    isDirectory.boolValue
                {
                    folders.append(name)
                }
            }
        }
        for folder in folders {
            let path = folder.isEmpty ? directory : PathName.join(directory, folder)
            for name in ((try? manager.contentsOfDirectory(atPath: path)) ?? []).sorted() where isWorkflow(name) {
                found.append(folder.isEmpty ? name : folder + "/" + name)
                if found.count >= 500 { return found }
            }
        }
        return found
    }

    /// Whether a file name looks like a workflow.
    static func isWorkflow(_ name: String) -> Bool {
        if name.hasPrefix(".") || name.hasSuffix(".plan.json") || name.hasSuffix(".schema.json") { return false }
        if name.hasSuffix(".csv") { return !name.contains("template") }
        return [".yaml", ".yml", ".json"].contains { name.hasSuffix($0) }
    }
}
