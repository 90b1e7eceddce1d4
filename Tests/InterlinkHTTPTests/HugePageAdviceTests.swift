import Foundation
import NIOCore
import Testing

@testable import InterlinkHTTP

/// The advice a large response buffer gets before it is filled (``HTTPClientResponse/Body/adviseHugePages(_:)``).
@Suite struct HugePageAdviceTests {
    /// The `VmFlags` of the mapping of this process that holds `address` (from `/proc/self/smaps`).
    static func mappingFlags(of address: UInt) throws -> [Substring] {
        // Read to the end: a file in /proc has no size for a read sized by `stat`.
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/self/smaps"))
        defer { try? handle.close() }
        let smaps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        var inside = false
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let range = fields.first, range.contains("-"), !range.hasSuffix(":") {
                let bounds = range.split(separator: "-").compactMap { UInt($0, radix: 16) }
                inside = bounds.count == 2 && bounds[0] <= address && address < bounds[1]
            } else if inside, fields.first == "VmFlags:" {
                return Array(fields.dropFirst())
            }
        }
        return []
    }

    static func address(of buffer: inout ByteBuffer) -> UInt {
        buffer.withUnsafeMutableWritableBytes { UInt(bitPattern: $0.baseAddress) }
    }

    @Test(
        .enabled(
            if: FileManager.default.fileExists(atPath: "/sys/kernel/mm/transparent_hugepage/enabled"),
            "the kernel has transparent huge pages"
        )
    )
    func aLargeUntouchedBufferIsAdvised() throws {
        var large = ByteBuffer()
        large.reserveCapacity(16 << 20)
        HTTPClientResponse.Body.adviseHugePages(&large)
        // The middle of the buffer lies in the advised, 2 MiB-aligned part.
        let middle = Self.address(of: &large) + UInt(8 << 20)
        #expect(try Self.mappingFlags(of: middle).contains("hg"))
        // The advised memory is ordinary memory to its user.
        large.writeRepeatingByte(7, count: 16 << 20)
        #expect(large.readableBytes == 16 << 20 && large.getInteger(at: 12 << 20, as: UInt8.self) == 7)
    }

    /// Only whole, aligned huge pages inside the memory are advised, and nothing below two huge pages: a smaller
    /// buffer would get at most one (other tests' advice can leave a shared mapping advised, so this is checked on
    /// the arithmetic, not in `/proc`).
    @Test func onlyWholeAlignedHugePagesInsideTheBufferAreAdvised() {
        let huge: UInt = 2 << 20
        typealias Body = HTTPClientResponse.Body
        #expect(Body.hugePageSpan(address: 10 * huge, count: Int(4 * huge)) == (10 * huge)..<(14 * huge))
        #expect(Body.hugePageSpan(address: 10 * huge + 16, count: Int(4 * huge)) == (11 * huge)..<(14 * huge))
        #expect(Body.hugePageSpan(address: 10 * huge + 16, count: Int(2 * huge)) == (11 * huge)..<(12 * huge))
        #expect(Body.hugePageSpan(address: 10 * huge, count: Int(2 * huge) - 1) == nil)
        #expect(Body.hugePageSpan(address: 10 * huge, count: 1 << 20) == nil)
        #expect(Body.hugePageSpan(address: 10 * huge + 4096, count: Int(3 * huge)) == (11 * huge)..<(13 * huge))
    }
}
