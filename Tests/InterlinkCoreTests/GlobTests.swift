import InterlinkCore
import Testing

@Suite struct GlobTests {
    @Test(arguments: [
        ("*.dat", "result.dat", true),
        ("*.dat", ".hidden.dat", true),
        ("*.dat", "dir/result.dat", false),
        ("run_?.sh", "run_1.sh", true),
        ("run_?.sh", "run_10.sh", false),
        ("[a-c]*", "beta", true),
        ("[!a-c]*", "beta", false),
        ("[!a-c]*", "delta", true),
        ("\\*", "*", true),
        ("\\*", "a", false),
        ("**/*.cas", "mesh.cas", true),
        ("**/*.cas", "a/b/c/mesh.cas", true),
        ("inputs/**", "inputs/a/b", true),
        ("inputs/**", "outputs/a", false),
        ("a/**/z", "a/z", true),
        ("a/**/z", "a/b/c/z", true),
        ("a/**/z", "a/b/c/y", false),
        ("*", "", false),
    ])
    func matchesLikeAShell(pattern: String, path: String, expected: Bool) throws {
        #expect(try Glob(pattern).matches(path) == expected)
    }

    @Test func basenamePatternsSeeOnlyTheBasename() throws {
        let glob = try Glob("*.log")
        #expect(glob.matchesFile("deep/dir/out.log"))
        let pathGlob = try Glob("deep/*.log")
        #expect(pathGlob.matchesFile("deep/out.log"))
        #expect(!pathGlob.matchesFile("other/out.log"))
    }

    @Test func rejectsMalformedPatterns() {
        #expect(throws: Glob.SyntaxError.self) { try Glob("[abc") }
        #expect(throws: Glob.SyntaxError.self) { try Glob("abc\\") }
        #expect(throws: Glob.SyntaxError.self) { try Glob("[z-a]") }
    }

    @Test func knowsWhetherItHasWildcards() throws {
        #expect(try !Glob("Run_1").hasWildcards)
        #expect(try Glob("Run_*").hasWildcards)
        #expect(try Glob("a/**").hasWildcards)
    }
}

@Suite struct NaturalOrderTests {
    @Test func ordersNumbersByValue() {
        let names = ["Run_10", "Run_2", "Run_1", "Run_007", "Run_7", "Run_extra", "Run_11"]
        #expect(NaturalOrder.sorted(names) == ["Run_1", "Run_2", "Run_7", "Run_007", "Run_10", "Run_11", "Run_extra"])
    }

    @Test func isATotalOrder() {
        let names = ["a1", "a01", "a001", "a1b", "a", "b", "A", "a10"]
        for x in names {
            #expect(!NaturalOrder.areInIncreasingOrder(x, x))
            for y in names where x != y {
                #expect(NaturalOrder.areInIncreasingOrder(x, y) != NaturalOrder.areInIncreasingOrder(y, x))
            }
        }
    }
}

@Suite struct WalltimeTests {
    @Test(arguments: [
        ("90m", 1.5), ("2h", 2.0), ("1d", 24.0), ("1h30m", 1.5), ("2", 2.0), ("0.25", 0.25), ("1:30", 1.5),
        ("1:30:00", 1.5), ("45s", 0.0125),
    ])
    func parsesDurations(text: String, hours: Double) throws {
        let walltime = try #require(Walltime(parsing: text))
        #expect(abs(walltime.hours - hours) < 1e-9)
    }

    @Test(arguments: ["", "h", "2x", "1:xx", "-", "two hours", "1h30"])
    func rejectsNonDurations(text: String) {
        #expect(Walltime(parsing: text) == nil)
    }

    @Test(arguments: [(0.25, 1), (1.0, 1), (1.5, 2), (2.04, 3), (48.0, 48)])
    func roundsUpToWholeHoursForTheAPI(hours: Double, api: Int) {
        #expect(Walltime(hours: hours).apiHours == api)
    }

    @Test func formatsTheShortestExactValue() {
        #expect(Walltime(hours: 2).description == "2")
        #expect(Walltime(hours: 2.04).description == "2.04")
        #expect(Walltime(hours: 0.25).description == "0.25")
    }
}

@Suite struct PathNameTests {
    @Test func normalizesLexically() {
        #expect(PathName.normalize("/a/./b/../c/") == "/a/c")
        #expect(PathName.normalize("a/../../b") == "../b")
        #expect(PathName.normalize("/../x") == "/x")
        #expect(PathName.normalize("") == ".")
    }

    /// The lexical algorithm without the already-normal shortcut, as `normalize` was before it.
    static func referenceNormalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for component in path.split(separator: "/") {
            if component == "." { continue }
            if component == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else if component != ".." || !absolute {
                parts.append(component)
            }
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    @Test func normalizesEveryShortPathLikeTheFullAlgorithm() {
        // Every path of up to 5 characters over the characters that matter, normal or not.
        let alphabet = ["/", ".", "a", "é"]
        var paths = [""]
        var frontier = [""]
        for _ in 1...5 {
            frontier = frontier.flatMap { prefix in alphabet.map { prefix + $0 } }
            paths += frontier
        }
        paths += ["/data/runs/Run_1/input.dat", "runs/Run_1", "/a/.../b", "../../a", "/a/b/..", "./a", "a/./b/"]
        for path in paths {
            #expect(PathName.normalize(path) == Self.referenceNormalize(path), "\(path.debugDescription)")
        }
    }

    @Test func splitsNames() {
        #expect(PathName.basename("/data/study/Run_1") == "Run_1")
        #expect(PathName.dirname("/data/study/Run_1") == "/data/study")
        #expect(PathName.dirname("/Run_1") == "/")
        #expect(PathName.dirname("Run_1") == ".")
        // The edges of the byte-wise split: the root, one trailing slash trimmed, no slash, non-ASCII names.
        let cases: [(path: String, base: String, dir: String)] = [
            ("/", "/", "/"), ("//", "/", "/"), ("", "", "."), ("a", "a", "."), ("a/", "a", "."), ("/a/", "a", "/"),
            ("x//", "", "x"), ("/a/b/", "b", "/a"), ("/données/étude/Run_é", "Run_é", "/données/étude"),
        ]
        for (path, base, dir) in cases {
            #expect(PathName.basename(path) == base, "\(path)")
            #expect(PathName.dirname(path) == dir, "\(path)")
        }
    }

    @Test func detectsEscapes() {
        #expect(PathName.staysInside("a/b"))
        #expect(PathName.staysInside("a/../b"))
        #expect(!PathName.staysInside("a/../../b"))
        #expect(!PathName.staysInside("/etc/passwd"))
        #expect(PathName.relative("/a/b/c", to: "/a") == "b/c")
        #expect(PathName.relative("/ab/c", to: "/a") == nil)
    }
}

@Suite struct SuggestionTests {
    @Test func suggestsNearMisses() {
        #expect(Suggestion.closest(to: "Job Name", in: ["JobName", "Directory"]) == "JobName")
        #expect(Suggestion.closest(to: "comand", in: ["command", "commands", "env"]) == "command")
        #expect(Suggestion.closest(to: "zipp", in: StageKind.names) == nil)
        #expect(Suggestion.closest(to: "uplod", in: StageKind.names) == "upload")
    }
}
