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
    func aLargeUntouchedBufferIsAdvisedAndASmallOneIsNot() throws {
        var large = ByteBuffer()
        large.reserveCapacity(16 << 20)
        HTTPClientResponse.Body.adviseHugePages(&large)
        // The middle of the buffer lies in the advised, 2 MiB-aligned part.
        let middle = Self.address(of: &large) + UInt(8 << 20)
        #expect(try Self.mappingFlags(of: middle).contains("hg"))
        var small = ByteBuffer()
        small.reserveCapacity(1 << 20)
        HTTPClientResponse.Body.adviseHugePages(&small)
        #expect(try !Self.mappingFlags(of: Self.address(of: &small)).contains("hg"))
        // The advised memory is ordinary memory to its user.
        large.writeRepeatingByte(7, count: 16 << 20)
        #expect(large.readableBytes == 16 << 20 && large.getInteger(at: 12 << 20, as: UInt8.self) == 7)
    }
}
