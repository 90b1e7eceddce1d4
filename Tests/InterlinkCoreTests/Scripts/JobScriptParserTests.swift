import InterlinkCore
import Testing

@Suite struct JobScriptParserTests {
    static let workedExample = """
        #!/bin/bash
        #$ -N first
        #$ -pe smp 4
        #$ -l rescale_cores=6,rescale_coretype=onyx,rescale_code=ansys_fluent
        #RESCALE_NAME one
        #RESCALE_CORES_PER_SLOT 16
        #RESCALE_CORES emerald
        #RESCALE_NAME two
        #RESCALE_WALLTIME 7
        #$ -l rescale_walltime=99,rescale_code=late
        fluent 3ddp -g -t16 -i run.jou
        """

    @Test func workedExampleOfSection14_5() throws {
        let job = try JobScriptParser.parse(contents: Self.workedExample, path: "run.sh").makeJob(
            mode: .strict,
            directory: "/w/case"
        )
        #expect(job.name == "two")
        #expect(job.analysis == AnalysisSpec(code: "ansys_fluent"))
        #expect(
            job.hardware == HardwareSpec(coreType: "emerald", coresPerSlot: 16, slots: 1, walltime: Walltime(hours: 7))
        )
        #expect(job.command == "fluent 3ddp -g -t16 -i run.jou")
        #expect(job.inputs == [.archive(ArchiveInput(directory: "/w/case"))])
    }

    @Test func bodyOnlyScriptUsesRescaleCLIDefaultsInCompatMode() throws {
        let script = JobScriptParser.parse(contents: "#!/bin/bash\nfluent 3ddp\n", path: "run.sh")
        let job = try script.makeJob(mode: .compat, directory: "/w")
        #expect(job.name == "Unnamed Job")
        #expect(
            job.hardware == HardwareSpec(coreType: "emerald", coresPerSlot: 1, slots: 1, walltime: Walltime(hours: 48))
        )
        #expect(job.analysis.code == "user_included")
        let error = #expect(throws: DiagnosticsError.self) { try script.makeJob(mode: .strict, directory: "/w") }
        #expect(
            error?.errors.first?.description
                == "run.sh: error: missing required directive '#RESCALE_NAME'\n  help: add a line '#RESCALE_NAME <job name>'"
        )
    }

    @Test func readsEveryDirective() throws {
        let script = JobScriptParser.parse(
            contents: """
                #!/bin/bash
                #RESCALE_NAME all
                #RESCALE_COMMAND ./go.sh
                #RESCALE_ANALYSIS openfoam
                #RESCALE_ANALYSIS_VERSION 2312
                #RESCALE_CORES onyx
                #RESCALE_CORES_PER_SLOT 8
                #RESCALE_SLOTS 3
                #RESCALE_WALLTIME 1.5
                #RESCALE_TAGS a, b ,,c
                #RESCALE_TAGS d
                #RESCALE_PROJECT_ID P1
                #RESCALE_INBOUND_SSH_CIDR 10.0.0.0/8
                #RESCALE_PUBLIC_KEY ssh-ed25519 AAAA
                #USE_RESCALE_LICENSE true
                #RESCALE_ENV_LM_LICENSE_FILE 27000@lic
                #RESCALE_ENV_EMPTY  
                #RESCALE_USER_DEFINED_LICENSE_SETTINGS {"a":1}
                #RESCALE_AUTOMATION auto1 trailing
                #RESCALE_AUTOMATION auto2
                #$ -N ignored
                #$ -pe smp 2
                #$ -l rescale_code=x,rescale_coretype=y,rescale_cores=1,rescale_walltime=9,rescale_name=z,h_rt=1
                echo body
                """,
            path: "all.sh"
        )
        #expect(script.diagnostics.isEmpty)
        #expect(script.name == "all")
        #expect(script.command == "./go.sh")
        #expect(script.analysisCode == "openfoam" && script.analysisVersion == "2312")
        #expect(script.coreType == "onyx" && script.coresPerSlot == 8 && script.slots == 3)
        #expect(script.walltime == Walltime(hours: 1.5))
        #expect(script.walltime?.apiHours == 2)
        #expect(script.tags == ["a", "b", "c", "d"])
        #expect(script.projectID == "P1")
        #expect(script.inboundSSHCIDR == "10.0.0.0/8" && script.publicKey == "ssh-ed25519 AAAA")
        #expect(script.useRescaleLicense == true)
        #expect(script.environment == ["LM_LICENSE_FILE": "27000@lic", "EMPTY": ""])
        #expect(script.userDefinedLicenseSettings == "{\"a\":1}")
        #expect(script.automations == ["auto1", "auto2"])
        #expect(script.bodyLines == ["echo body"])
    }

    @Test func sgeDirectivesFillOnlyEmptyFieldsInOrder() {
        let script = JobScriptParser.parse(
            contents: """
                #$ -l rescale_name=first,rescale_cores=2
                #$ -N second
                #$ -pe smp 8
                #$ -pe smp 4-8
                #$ -l rescale_walltime=5,rescale_code=abc
                #$ -l rescale_walltime=6,rescale_coretype=onyx
                """,
            path: "s.sh"
        )
        #expect(script.name == "first")
        #expect(script.coresPerSlot == 2)
        #expect(script.walltime == Walltime(hours: 5))
        #expect(script.analysisCode == "abc" && script.coreType == "onyx")
        #expect(
            script.diagnostics.map(\.description) == [
                "s.sh:4:12: warning: '#$ -pe smp 4-8' is not a whole number of cores and is ignored\n  help: write '#RESCALE_CORES_PER_SLOT <n>' to set the cores per slot"
            ]
        )
    }

    @Test func bodyIsTheCommandWhenThereIsNoCommandDirective() {
        let script = JobScriptParser.parse(
            contents: "#!/bin/sh\r\n# comment\r\n  cd case  \r\n\r\n./run   --fast\r\n#SBATCH -n 4\n",
            path: "b.sh"
        )
        #expect(script.command == "cd case\n./run   --fast")
    }

    @Test func rejectsOverlongLines() {
        let script = JobScriptParser.parse(contents: String(repeating: "x", count: 70_000), path: "l.sh")
        #expect(
            script.diagnostics.map(\.description) == [
                "l.sh:1:1: error: line is longer than 64 KiB\n  help: split the line"
            ]
        )
    }
}

@Suite struct JobScriptWriterTests {
    @Test(arguments: ["./solve --np 4", "cd case\n./solve\npost.sh"])
    func roundTripsAJob(command: String) throws {
        let job = JobSpec(
            name: "wing-7",
            analysis: AnalysisSpec(code: "openfoam", version: "2312"),
            command: command,
            hardware: HardwareSpec(coreType: "onyx", coresPerSlot: 8, slots: 2, walltime: Walltime(hours: 3)),
            environment: ["LM_LICENSE_FILE": "27000@lic", "OMP": "1"],
            license: LicenseSpec(useRescaleLicense: true, userDefinedSettings: "{\"x\":1}"),
            projectID: "P9",
            tags: ["cfd", "wing"],
            automations: ["a1", "a2"]
        )
        let text = JobScriptWriter.script(for: job)
        let parsed = JobScriptParser.parse(contents: text, path: "w.sh")
        #expect(parsed.diagnostics.isEmpty)
        var reread = try parsed.makeJob(mode: .strict, directory: "/w")
        reread.inputs = job.inputs
        reread.origin = job.origin
        #expect(reread == job)
    }

    @Test func writesWalltimeRoundedUpAndSlotsAtLeastOne() {
        let job = JobSpec(
            name: "j",
            analysis: AnalysisSpec(code: "c"),
            command: "x",
            hardware: HardwareSpec(coreType: "e", coresPerSlot: 1, slots: 0, walltime: Walltime(hours: 2.04))
        )
        let text = JobScriptWriter.script(for: job)
        #expect(text.contains("\n#RESCALE_WALLTIME 3\n"))
        #expect(text.contains("\n#RESCALE_SLOTS 1\n"))
        #expect(text.hasPrefix("#!/bin/bash\n"))
    }
}
