import Foundation
import InterlinkCore
import Testing

/// The hand-written canonical JSON of the hashed model types must be byte for byte the generic encoder's (and so
/// `JSONEncoder`'s), or every journaled job would look changed.
@Suite struct CanonicalJSONWriterTests {
    static func expectSame(_ value: some CanonicalJSONWritable, _ label: String) throws {
        let fast = try CanonicalJSON.write(value)
        #expect(fast == (try CanonicalJSON.encode(value)), "\(label)")
        #expect(fast == (try CanonicalJSONTests.foundation(value)), "\(label)")
    }

    static let strings = CanonicalJSONTests.strings

    /// Jobs that vary every member: optionals set and unset, each kind of input, awkward strings and numbers.
    static func jobs() -> [JobSpec] {
        let walltimes: [Double] = [1, 1.5, 0.1, 336, 2.04, 1e-7, 123_456.125]
        return strings.indices.map { index in
            let text = strings[index]
            let odd = !index.isMultiple(of: 2)
            let archive = ArchiveInput(
                directory: "/data/runs/Run_\(index)/\(text)",
                include: odd ? ["*.dat", text] : [],
                exclude: odd ? [] : ["*.tmp"],
                flatten: odd,
                subpath: odd ? "sub/\(text)" : nil,
                compression: Compression.allCases[index % Compression.allCases.count],
                decompress: !odd,
                files: index % 3 == 0 ? ["a", text, "b/c"] : nil,
                absoluteNames: index % 4 == 0
            )
            return JobSpec(
                name: "job-\(index)-\(text)",
                analysis: AnalysisSpec(code: "user_included", version: odd ? text : nil),
                command: "./run.sh \(text) > out.txt",
                hardware: HardwareSpec(
                    coreType: odd ? "emerald" : text,
                    coresPerSlot: index + 1,
                    slots: index * 7,
                    walltime: Walltime(hours: walltimes[index % walltimes.count])
                ),
                environment: odd ? ["B": text, "a": "1", "é": "x", "a b": "", text: "v"] : [:],
                license: LicenseSpec(
                    useRescaleLicense: odd,
                    onDemandSeller: index % 3 == 1 ? "seller \(text)" : nil,
                    userDefinedSettings: index % 3 == 2 ? "{\"k\": \"\(index)\"}" : nil
                ),
                projectID: index % 4 == 1 ? "project-\(text)" : nil,
                orgCode: index % 4 == 2 ? text : nil,
                tags: odd ? [text, "tag"] : [],
                isLowPriority: index % 3 == 0,
                submit: odd ? .createOnly : .submit,
                inputs: [
                    .archive(archive), .shared(name: "solver \(text)"),
                    .existing(ExistingFile(id: "file-\(index)", decompress: odd)),
                ],
                outputs: OutputSpec(
                    include: odd ? ["*.out"] : [],
                    exclude: [text],
                    destination: "results/{job}/\(text)",
                    download: !odd
                ),
                needs: odd ? ["job-0-"] : [],
                automations: index % 5 == 0 ? ["auto-\(text)"] : [],
                origin: index % 3 == 1 ? SourceLocation(file: "jobs.csv", line: index, column: odd ? 3 : nil) : nil
            )
        }
    }

    @Test func writesJobsExactlyAsTheGenericEncoder() throws {
        let jobs = Self.jobs()
        #expect(jobs.count >= 10)
        for job in jobs { try Self.expectSame(job, job.name) }
        try Self.expectSame(
            JobSpec(
                name: "bare",
                analysis: AnalysisSpec(code: ""),
                command: "",
                hardware: HardwareSpec(
                    coreType: "",
                    coresPerSlot: 0,
                    walltime: Walltime(hours: 0)
                )
            ),
            "bare"
        )
    }

    @Test func writesSharedInputSourcesExactlyAsTheGenericEncoder() throws {
        for (index, job) in Self.jobs().enumerated() {
            guard case .archive(let archive) = job.inputs.first else { continue }
            try Self.expectSame(SharedInputSpec.Source.archive(archive), "archive \(index)")
            try Self.expectSame(
                SharedInputSpec.Source.file(path: archive.directory, decompress: index.isMultiple(of: 2)),
                "file \(index)"
            )
            try Self.expectSame(SharedInputSpec.Source.existing(ExistingFile(id: job.name)), "existing \(index)")
        }
    }

    @Test(arguments: [
        "examples/yaml-sweep/workflow.yaml", "examples/dag-shared/workflow.yaml", "examples/sge-scripts/workflow.yaml",
        "workflows/sweep-study.yaml", "workflows/run-directories.yaml",
    ])
    func writesEveryShippedJobExactlyAsTheGenericEncoder(path: String) throws {
        let workflow = try ShippedWorkflowTests.load(path)
        #expect(!workflow.jobs.isEmpty)
        for job in workflow.jobs { try Self.expectSame(job, job.name) }
        for shared in workflow.sharedInputs { try Self.expectSame(shared.source, shared.name) }
    }

    @Test func refusesANonFiniteWalltimeLikeTheGenericEncoder() {
        let job = JobSpec(
            name: "x",
            analysis: AnalysisSpec(code: "c"),
            command: "",
            hardware: HardwareSpec(coreType: "t", coresPerSlot: 1, walltime: Walltime(hours: .infinity))
        )
        #expect(throws: EncodingError.self) { try CanonicalJSON.write(job) }
        #expect(throws: EncodingError.self) { try CanonicalJSON.encode(job) }
    }
}
