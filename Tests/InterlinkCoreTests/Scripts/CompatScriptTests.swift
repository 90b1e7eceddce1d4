import InterlinkCore
import Testing

/// `--compat`: job scripts read as rescale-cli reads them, with a located warning for each guess or ignored line.
@Suite struct CompatScriptTests {
    static let legacy = """
        #!/bin/bash
        #RESCALE_NAME legacy
        #RESCALE_CORES_PER_SLOT 16abc
        #RESCALE_SLOTS -1
        #RESCALE_WALLTIME 24:00:00
        #USE_RESCALE_LICENSE TRUE
        #RESCALE_ENV_BAD-NAME 1
        #$ -l rescale_cores=eight
        ./run.sh

        """

    @Test func readsWhatRescaleCLIAcceptsWithAWarningPerLine() throws {
        let script = JobScriptParser.parse(contents: Self.legacy, path: "legacy.sh", mode: .compat)
            .applyingDefaults(for: .compat)
        #expect(!script.diagnostics.contains { $0.severity == .error }, "\(script.diagnostics)")
        let job = try script.makeJob(mode: .compat, directory: "/w")
        #expect(job.name == "legacy")
        #expect(job.hardware.coresPerSlot == 16)
        #expect(job.hardware.slots == 1)
        #expect(job.hardware.walltime == Walltime(hours: 24))
        #expect(job.environment.isEmpty)
        #expect(job.hardware.coreType == "emerald" && job.analysis.code == "user_included")
        let warnings = script.diagnostics.map { "\($0.location?.description ?? ""): \($0.message)" }
        #expect(
            warnings == [
                "legacy.sh:3:25: #RESCALE_CORES_PER_SLOT value '16abc' is read as 16, as rescale-cli reads its leading "
                    + "digits",
                "legacy.sh:4:16: #RESCALE_SLOTS value '-1' is ignored, as rescale-cli ignores it",
                "legacy.sh:5:19: #RESCALE_WALLTIME value '24:00:00' is read as 24, as rescale-cli reads its leading "
                    + "digits",
                "legacy.sh:6:22: #USE_RESCALE_LICENSE value 'TRUE' is ignored (rescale-cli reads only 'true' and "
                    + "'false')",
                "legacy.sh:7:1: '#RESCALE_ENV_BAD-NAME' is not an environment variable directive and is ignored",
                "legacy.sh:8:21: rescale_cores value 'eight' is ignored, as rescale-cli ignores it",
                "legacy.sh: no '#RESCALE_CORES': using rescale-cli's default 'emerald'",
                "legacy.sh: no '#RESCALE_ANALYSIS': using rescale-cli's default 'user_included'",
            ],
            "\(warnings)"
        )
    }

    @Test func strictModeStillRefusesTheSameScript() {
        let script = JobScriptParser.parse(contents: Self.legacy, path: "legacy.sh")
        let errors = script.diagnostics.filter { $0.severity == .error }.map(\.message)
        #expect(errors.contains("invalid #RESCALE_CORES_PER_SLOT value '16abc'"))
        #expect(errors.contains("invalid environment variable name 'BAD-NAME'"))
        #expect(throws: DiagnosticsError.self) { try script.makeJob(mode: .strict, directory: "/w") }
    }

    @Test func aWalltimeInSecondsIsStillRefusedInCompatMode() {
        let script = JobScriptParser.parse(
            contents: "#RESCALE_NAME x\n#RESCALE_WALLTIME 86400\necho\n",
            path: "s.sh",
            mode: .compat
        )
        #expect(script.diagnostics.first?.severity == .error)
        #expect(script.diagnostics.first?.message.contains("more than") == true)
    }
}
