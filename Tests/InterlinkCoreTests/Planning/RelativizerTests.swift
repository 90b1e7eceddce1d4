import InterlinkCore
import InterlinkTestSupport
import Testing

/// ``ContentHash/Relativizer``, which copies the bytes between path strings as runs, against the byte-by-byte
/// rewrite it replaced (kept here): content hashes must not change from one version to the next, or every job of
/// every run would look changed.
@Suite struct RelativizerTests {
    @Test func rewritesTheLongestMatchingAncestorOfEachString() {
        let relativizer = ContentHash.Relativizer(baseDirectory: "/p/w")
        let json = #"{"a":"/p/w","b":"/p/w/x","c":"/p/other","d":"/p/wx","e":"/q","f":"x/p/w"}"#
        #expect(
            String(decoding: relativizer.apply(to: Array(json.utf8)), as: UTF8.self)
                == #"{"a":".","b":"./x","c":"../other","d":"../wx","e":"/q","f":"x/p/w"}"#
        )
        #expect(ContentHash.Relativizer(baseDirectory: "/").apply(to: Array(#"["/p"]"#.utf8)) == Array(#"["/p"]"#.utf8))
    }

    @Test func givesTheBytesTheByteByByteRewriteGave() {
        let tokens = ["\"", "\"", "/", "/p", "/p/w", "/p/w/", "/p/wx", "/q", ",", "a", "\\\"", ":", "é"]
        var random = SplitMix64(state: 0x7e1a_7172)
        for base in ["/p/w", "/p", "/p/w/", "/"] {
            let relativizer = ContentHash.Relativizer(baseDirectory: base)
            for _ in 0..<2000 {
                let text = (0..<Int.random(in: 0...30, using: &random))
                    .map { _ in tokens.randomElement(using: &random) ?? "" }.joined()
                let bytes = Array(text.utf8)
                #expect(relativizer.apply(to: bytes) == Self.reference(bytes, baseDirectory: base), "\(text)")
            }
        }
    }

    /// The rewrite as it was: byte by byte, the ancestors worked out on every call.
    static func reference(_ bytes: [UInt8], baseDirectory: String) -> [UInt8] {
        var ancestors: [(prefix: [UInt8], replacement: [UInt8])] = []
        var ancestor = PathName.normalize(baseDirectory)
        var relative = "."
        while ancestor.count > 1 {
            ancestors.append((Array(ancestor.utf8), Array(relative.utf8)))
            ancestor = PathName.dirname(ancestor)
            relative = relative == "." ? ".." : relative + "/.."
        }
        guard !ancestors.isEmpty else { return bytes }
        var output: [UInt8] = []
        var index = 0
        let quote = UInt8(ascii: "\"")
        let slash = UInt8(ascii: "/")
        while index < bytes.count {
            let byte = bytes[index]
            output.append(byte)
            index += 1
            guard byte == quote, index < bytes.count, bytes[index] == slash else { continue }
            for (prefix, replacement) in ancestors {
                let end = index + prefix.count
                guard end < bytes.count, bytes[end] == slash || bytes[end] == quote,
                    bytes[index..<end].elementsEqual(prefix)
                else { continue }
                output.append(contentsOf: replacement)
                index = end
                break
            }
        }
        return output
    }
}
