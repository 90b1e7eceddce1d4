import InterlinkCore
import RescaleAPI
import Testing

@testable import RescalePlatform

/// The catalogue check, case by case, without a server.
@Suite struct AnalysisCatalogTests {
    static let catalog = AnalysisCatalog(
        analyses: [
            AnalysisRecord(
                code: "fluent",
                versions: [
                    .init(version: "2023 R1", versionCode: "23.1", allowedCoreTypes: ["emerald"]),
                    .init(version: "23.1", versionCode: "legacy", allowedCoreTypes: ["onyx"]),
                ]
            )
        ],
        coreTypes: [
            CoreTypeRecord(code: "emerald", isActive: true, cores: [1, 2, 4]),
            CoreTypeRecord(code: "onyx", isActive: true, cores: [1, 9]),
            CoreTypeRecord(code: "retired", isActive: false, cores: [1]),
        ]
    )

    static func job(_ version: String?, coreType: String = "emerald", cores: Int = 2, code: String = "fluent")
        -> JobSpec
    {
        JobSpec(
            name: "case",
            analysis: AnalysisSpec(code: code, version: version),
            command: "run",
            hardware: HardwareSpec(coreType: coreType, coresPerSlot: cores, walltime: Walltime(hours: 1)),
            origin: SourceLocation(file: "w.yaml", line: 4, column: 5)
        )
    }

    @Test func aDisplayVersionBecomesItsVersionCode() {
        var job = Self.job("2023 R1")
        #expect(Self.catalog.check(&job) == nil)
        #expect(job.analysis.version == "23.1")
    }

    @Test func aVersionCodeIsKeptEvenWhenItIsAlsoADisplayVersion() {
        var job = Self.job("23.1")
        #expect(Self.catalog.check(&job) == nil)
        #expect(job.analysis.version == "23.1")
    }

    @Test func noVersionChecksOnlyTheCores() {
        var job = Self.job(nil, coreType: "onyx", cores: 9)
        #expect(Self.catalog.check(&job) == nil)
        #expect(job.analysis.version == nil)
    }

    @Test func refusalsSayWhatIsValid() {
        var unknown = Self.job("2024 R2")
        #expect(
            Self.catalog.check(&unknown)
                == .unknownVersion("2024 R2", analysis: "fluent", known: ["2023 R1 (23.1)", "23.1 (legacy)"])
        )
        var onyx = Self.job("2023 R1", coreType: "onyx", cores: 1)
        #expect(
            Self.catalog.check(&onyx)
                == .coreTypeNotAllowed("onyx", analysis: "fluent", version: "2023 R1", allowed: ["emerald"])
        )
        var cores = Self.job("2023 R1", cores: 3)
        #expect(Self.catalog.check(&cores) == .coresPerSlotNotValid(3, coreType: "emerald", valid: [1, 2, 4]))
        var coreType = Self.job(nil, coreType: "ruby")
        #expect(Self.catalog.check(&coreType) == .unknownCoreType("ruby", known: ["emerald", "onyx"]))
        var analysis = Self.job(nil, code: "abaqus")
        #expect(Self.catalog.check(&analysis) == .unknownAnalysis("abaqus", known: ["fluent"]))
    }

    @Test func aPlanReportsEachDistinctProblemOnceAtItsFirstJob() throws {
        let nodes = (1...3).map { index in
            var job = Self.job("9.9")
            job.name = "case-\(index)"
            job.origin = SourceLocation(file: "w.yaml", line: index + 3, column: 5)
            return PlanNode(
                id: .job(job.name),
                kind: .job(job),
                stages: [.create],
                dependencies: [],
                uploads: [],
                existingFiles: [],
                contentHash: "h\(index)"
            )
        }
        let plan = Plan(
            workflow: "w",
            source: "w.yaml",
            baseDirectory: "/tmp",
            platform: .rescale,
            settings: .default,
            nodes: nodes
        )
        let error = #expect(throws: AnalysisCheckError.self) { try Self.catalog.resolve(plan) }
        #expect(error?.problems.count == 1)
        #expect(error?.exitStatus == .invalidInput)
        #expect(
            error?.diagnostics.map(\.description) == [
                "w.yaml:4:5: error: job 'case-1' (and 2 more jobs): unknown version '9.9' of analysis 'fluent'\n"
                    + "  help: use a version or versionCode the platform lists for it: '2023 R1 (23.1)', '23.1 (legacy)'"
            ]
        )
    }
}
