import Foundation
import InterlinkCLI
import InterlinkCore
import InterlinkSystem
import Testing

/// Every shipped example and workflow has a committed `<name>.plan.json` next to it that `rescale-int plan --json`
/// reproduces exactly. `INTERLINK_UPDATE_GOLDEN=1 swift test --filter Golden` rewrites them.
@Suite struct GoldenPlanTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static let specs = [
        "examples/pur-basic/jobs.csv", "examples/yaml-sweep/workflow.yaml", "examples/dag-shared/workflow.yaml",
        "examples/sge-scripts/workflow.yaml", "workflows/sweep-study.yaml", "workflows/run-directories.yaml",
    ]

    /// The golden file of a spec: its path with the last extension replaced by `.plan.json`.
    static func goldenPath(_ spec: String) -> String {
        let directory = PathName.dirname(spec)
        let base = PathName.basename(spec)
        let stem = base.split(separator: ".").dropLast().joined(separator: ".")
        return PathName.join(root, directory, "\(stem).plan.json")
    }

    static func planJSON(_ spec: String) throws -> String {
        let command = try #require(try InterlinkCommand.parseAsRoot(["plan", spec, "--json"]) as? PlanCommand)
        return try command.execute(in: LocalFileSystem(currentDirectory: root)).output
    }

    @Test(arguments: specs)
    func planMatchesTheCommittedGolden(spec: String) throws {
        let actual = try Self.planJSON(spec)
        let golden = Self.goldenPath(spec)
        if ProcessInfo.processInfo.environment["INTERLINK_UPDATE_GOLDEN"] == "1" {
            try actual.write(toFile: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: golden, encoding: .utf8)
        #expect(actual == expected, "regenerate with INTERLINK_UPDATE_GOLDEN=1 swift test --filter Golden")
    }

    @Test(arguments: specs)
    func planHasNoMachineSpecificPaths(spec: String) throws {
        let text = try Self.planJSON(spec)
        #expect(!text.contains(Self.root))
        #expect(!text.contains("\"/"))
    }

    @Test func everyKeyTheEncoderWritesIsInTheSchema() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: PathName.join(Self.root, "schemas/plan.schema.json")))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        var checker = SchemaKeyChecker(root: schema)
        for spec in Self.specs {
            let plan = try JSONSerialization.jsonObject(with: Data(try Self.planJSON(spec).utf8))
            checker.check(plan, against: schema, at: spec)
        }
        #expect(checker.problems.isEmpty, "\(checker.problems)")
        // Every property the schema declares for a node, upload and job is written by at least one spec.
        for definition in ["node", "upload", "job"] {
            let declared = Set(checker.properties(of: "#/$defs/\(definition)"))
            let unseen = declared.subtracting(checker.seen["#/$defs/\(definition)"] ?? [])
            #expect(unseen.isSubset(of: ["subpath", "files", "analysis-version", "project-id", "include", "exclude"]))
        }
    }
}

/// Walks a JSON value beside a JSON Schema and records every object key the schema does not declare.
struct SchemaKeyChecker {
    let root: [String: Any]
    private(set) var problems: [String] = []
    private(set) var seen: [String: Set<String>] = [:]

    init(root: [String: Any]) { self.root = root }

    func resolve(_ schema: [String: Any]) -> (schema: [String: Any], reference: String?) {
        guard let reference = schema["$ref"] as? String, reference.hasPrefix("#/$defs/") else { return (schema, nil) }
        let name = String(reference.dropFirst("#/$defs/".count))
        return (((root["$defs"] as? [String: Any])?[name] as? [String: Any]) ?? [:], reference)
    }

    func properties(of reference: String) -> [String] {
        let (schema, _) = resolve(["$ref": reference])
        return Array((schema["properties"] as? [String: Any] ?? [:]).keys)
    }

    mutating func check(_ value: Any, against raw: [String: Any], at path: String) {
        let (schema, reference) = resolve(raw)
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any]
            let additional = schema["additionalProperties"] as? [String: Any]
            for (key, child) in object {
                if let reference { seen[reference, default: []].insert(key) }
                if let property = properties?[key] as? [String: Any] {
                    check(child, against: property, at: "\(path).\(key)")
                } else if let additional {
                    check(child, against: additional, at: "\(path).\(key)")
                } else {
                    problems.append("\(path): key '\(key)' is not in the schema")
                }
            }
        } else if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, item) in array.enumerated() { check(item, against: items, at: "\(path)[\(index)]") }
        }
    }
}
