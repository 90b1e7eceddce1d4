import InterlinkCore
import InterlinkTestSupport
import Testing

@Suite struct JSONJobSpecTests {
    @Test(arguments: [
        ("{\"name\": \"a\", \"command\": \"echo\", \"slots\": 2}", ["a"]),
        ("[{\"name\": \"a\", \"command\": \"echo\"}, {\"name\": \"b\", \"command\": \"echo\"}]", ["a", "b"]),
        ("{\"version\": 1, \"jobs\": [{\"name\": \"c\", \"command\": \"echo\"}]}", ["c"]),
    ])
    func acceptsTheThreeJSONForms(json: String, names: [String]) throws {
        #expect(try WorkflowParserTests.parse(json, path: "spec.json").jobs.map(\.name) == names)
    }

    @Test func bareJobsAreJSONOnly() throws {
        let error = #expect(throws: DiagnosticsError.self) { try WorkflowParserTests.parse("name: a\ncommand: echo\n") }
        #expect(
            error?.description.contains("flow.yaml:2:1: error: unknown key 'command' in the workflow") == true,
            "\(String(describing: error))"
        )
    }

    @Test func jsonDiagnosticsKeepLineAndColumn() throws {
        let error = #expect(throws: DiagnosticsError.self) {
            try WorkflowParserTests.parse(
                "[\n  {\"name\": \"a\",\n   \"command\": \"x\", \"slots\": 0}\n]",
                path: "j.json"
            )
        }
        #expect(error?.diagnostics.first?.location == SourceLocation(file: "j.json", line: 3, column: 29))
    }
}
