import InterlinkCore
import InterlinkTestSupport
import Testing

/// Every number a user can write in a workflow, fed the values that break naive code: each is a located error at
/// read or validate time (or a valid value), never a trap.
@Suite struct ExtremeNumberTests {
    /// A field and the YAML that sets it to `{v}`; the line of `{v}` is the line the error must name.
    struct Field: Sendable, CustomTestStringConvertible {
        var name: String
        var yaml: String
        var testDescription: String { name }
    }

    static let job = "  - name: a\n    inputs: [mesh]\n    command: ./run.sh\n"

    static let fields: [Field] = [
        Field(name: "cores-per-slot", yaml: "jobs:\n\(job)    cores-per-slot: {v}\n"),
        Field(name: "slots", yaml: "jobs:\n\(job)    slots: {v}\n"),
        Field(name: "walltime", yaml: "jobs:\n\(job)    walltime: \"{v}\"\n"),
        Field(name: "workers.archive", yaml: "settings:\n  workers: {archive: {v}}\njobs:\n\(job)"),
        Field(name: "workers.transfer", yaml: "settings:\n  workers: {transfer: {v}}\njobs:\n\(job)"),
        Field(name: "workers.api", yaml: "settings:\n  workers: {api: {v}}\njobs:\n\(job)"),
        Field(name: "attempts.default", yaml: "settings:\n  attempts: {default: {v}}\njobs:\n\(job)"),
        Field(name: "attempts.upload", yaml: "settings:\n  attempts: {upload: {v}}\njobs:\n\(job)"),
        Field(name: "poll-interval", yaml: "settings:\n  poll-interval: \"{v}\"\njobs:\n\(job)"),
        Field(name: "padding", yaml: "jobs:\n  - name: \"a{index:0{v}}\"\n    inputs: [mesh]\n    command: ./run.sh\n"),
    ]

    static let values = ["0", "-1", String(Int.max), "123456789012345678901234567890"]

    static func plan(_ yaml: String) -> Result<Plan, DiagnosticsError> {
        var fileSystem = InMemoryFileSystem(currentDirectory: "/w")
        fileSystem.addFile("/w/mesh/in.txt", contents: "x\n")
        fileSystem.addFile("/w/flow.yaml", contents: "version: 1\n" + yaml)
        do throws(DiagnosticsError) {
            return .success(try WorkflowPlanning.plan(path: "flow.yaml", fileSystem: fileSystem).plan)
        } catch {
            return .failure(error)
        }
    }

    @Test(arguments: fields, values)
    func eachValueIsALocatedErrorNeverATrap(field: Field, value: String) throws {
        let yaml = field.yaml.replacingOccurrences(of: "{v}", with: value)
        let expectedLine = 1 + (yaml.components(separatedBy: "\n").firstIndex { $0.contains(value) } ?? -1) + 1
        switch Self.plan(yaml) {
        case .success:
            Issue.record("\(field.name)=\(value) planned without an error")
        case .failure(let error):
            let errors = error.diagnostics.filter { $0.severity == .error }
            #expect(!errors.isEmpty)
            let located = errors.contains {
                "\($0.location?.description ?? "")".hasPrefix("flow.yaml:\(expectedLine):")
            }
            #expect(located, "\(field.name)=\(value): \(error.description)")
            #expect(!error.description.contains("123456789012345678901234567890123"), "echoes a huge value whole")
        }
    }

    @Test func sensibleLargeValuesStillPlan() throws {
        let yaml = """
            settings:
              workers: {archive: 256, transfer: 256, api: 256}
              attempts: {default: 100}
              poll-interval: 24h
            jobs:
              - name: "a{index:032}"
                inputs: [mesh]
                command: ./run.sh
                cores-per-slot: 1024
                slots: 10000
                walltime: 336h
            """
        #expect(throws: Never.self) { try Self.plan(yaml).get() }
    }
}
