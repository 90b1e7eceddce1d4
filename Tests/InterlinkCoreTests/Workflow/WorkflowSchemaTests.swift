import Foundation
import InterlinkCore
import Testing

@Suite struct WorkflowSchemaTests {
    static func loadSchema() throws -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("schemas/workflow.schema.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        return try #require(object as? [String: Any])
    }

    static func propertyNames(_ object: Any?) throws -> Set<String> {
        let dictionary = try #require(object as? [String: Any])
        let properties = try #require(dictionary["properties"] as? [String: Any])
        return Set(properties.keys)
    }

    @Test(arguments: [
        ("settings", WorkflowKeys.settings),
        ("workers", WorkflowKeys.workers),
        ("attempts", WorkflowKeys.attempts),
        ("defaults", WorkflowKeys.defaults),
        ("inlineJob", WorkflowKeys.inlineJob),
        ("sweepJob", WorkflowKeys.sweepJob),
        ("importJobs", WorkflowKeys.importJobs),
        ("directoryJobs", WorkflowKeys.directoryJobs),
        ("matrix", WorkflowKeys.matrixReserved),
        ("license", WorkflowKeys.license),
        ("archiveInput", WorkflowKeys.archiveInput),
        ("sharedReference", WorkflowKeys.sharedReference),
        ("existingFile", WorkflowKeys.existingFile),
        ("sharedFile", WorkflowKeys.sharedFile),
        ("outputs", WorkflowKeys.outputs),
        ("slurm", WorkflowKeys.slurm),
    ])
    func definitionDeclaresExactlyTheParsersKeys(definition: String, keys: [String]) throws {
        let definitions = try #require(try Self.loadSchema()["$defs"] as? [String: Any])
        #expect(try Self.propertyNames(definitions[definition]) == Set(keys))
    }

    @Test func topLevelDeclaresExactlyTheDocumentKeys() throws {
        let schema = try Self.loadSchema()
        #expect(try Self.propertyNames(schema) == Set(WorkflowKeys.document))
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
    }

    @Test func everyFixedMappingRejectsUnknownProperties() throws {
        let definitions = try #require(try Self.loadSchema()["$defs"] as? [String: Any])
        for (name, value) in definitions {
            guard let definition = value as? [String: Any], definition["properties"] != nil, name != "matrix" else {
                continue
            }
            #expect(definition["additionalProperties"] as? Bool == false, "\(name)")
        }
    }
}
