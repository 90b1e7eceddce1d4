import InterlinkSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Extracts a tar stream into a directory without ever writing outside it.
///
/// Refused, with an error naming the entry: absolute names, `..` components, paths through a symbolic link
/// (existing or from the archive), writing through an existing symbolic link, symbolic links whose target is absolute
/// or resolves outside the target, hard links to anything but a file extracted earlier, devices and FIFOs,
/// unsupported types, and the malformed or oversized headers ``TarReader`` refuses.
///
/// Every directory is walked with `openat(O_NOFOLLOW | O_DIRECTORY)`, files are created with `O_NOFOLLOW | O_EXCL`,
/// and symbolic links are created last, after all of them were checked against each other, so none can be used to
/// redirect a later entry.
package struct TarExtractor {
    /// The directory to extract into; it must exist.
    package let target: String
    /// Size limits passed to the reader.
    package var limits = TarLimits()

    /// Prepares extraction into `target`.
    package init(into target: String) { self.target = target }

    /// Extracts every member.
    ///
    /// - Parameter source: The (decompressed) tar stream.
    /// - Returns: The extracted names, normalized, in archive order.
    /// - Throws: `TransferError`; members before the failing one stay extracted.
    @discardableResult
    package func extract(from source: any ByteSource) throws(TransferError) -> [String] {
        let root = open(target, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { throw TransferError(path: target, reason: .io(POSIX.lastError())) }
        defer { close(root) }
        let walker = DirectoryWalker(root: root)
        let reader = TarReader(source, limits: limits)
        var extractedFiles: Set<String> = []
        var links: [(path: [String], target: String)] = []
        var names: [String] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while let member = try reader.next() {
            let components = try Self.components(of: member.name, entry: member.name)
            guard let last = components.last else { continue }
            let joined = components.joined(separator: "/")
            switch member.kind {
            case .directory:
                close(try walker.openDirectory(components, create: true, entry: member.name))
            case .file:
                let parent = try walker.openDirectory(components.dropLast(), create: true, entry: member.name)
                defer { close(parent) }
                let file = try walker.createFile(last, in: parent, mode: member.mode, entry: member.name)
                defer { close(file) }
                while true {
                    let count = try reader.readData(into: buffer)
                    if count == 0 { break }
                    guard POSIX.writeAll(file, UnsafeRawBufferPointer(rebasing: buffer[..<count])) else {
                        throw TransferError(path: member.name, reason: .io(POSIX.lastError()))
                    }
                }
                var times = [
                    timespec(tv_sec: Int(member.modificationTime), tv_nsec: 0),
                    timespec(tv_sec: Int(member.modificationTime), tv_nsec: 0),
                ]
                _ = futimens(file, &times)
                extractedFiles.insert(joined)
            case .hardLink:
                let source = try Self.components(of: member.linkName, entry: member.name)
                guard extractedFiles.contains(source.joined(separator: "/")), let sourceLast = source.last else {
                    throw unsafe(
                        member.name,
                        "hard link to '\(member.linkName)', which is not a file extracted earlier"
                    )
                }
                let sourceParent = try walker.openDirectory(source.dropLast(), create: false, entry: member.name)
                defer { close(sourceParent) }
                let parent = try walker.openDirectory(components.dropLast(), create: true, entry: member.name)
                defer { close(parent) }
                try walker.removeExisting(last, in: parent, entry: member.name)
                guard linkat(sourceParent, sourceLast, parent, last, 0) == 0 else {
                    throw TransferError(path: member.name, reason: .io(POSIX.lastError()))
                }
                extractedFiles.insert(joined)
            case .symlink:
                guard !member.linkName.isEmpty, !member.linkName.hasPrefix("/") else {
                    throw unsafe(member.name, "symbolic link to the absolute path '\(member.linkName)'")
                }
                links.append((components, member.linkName))
                extractedFiles.remove(joined)
            case .special:
                throw unsafe(member.name, "device and FIFO entries are not extracted")
            case .unsupported(let flag):
                throw unsafe(member.name, "unsupported entry type '\(String(UnicodeScalar(flag)))'")
            }
            names.append(joined)
        }
        try createLinks(links, walker: walker)
        return names
    }

    private func createLinks(_ links: [(path: [String], target: String)], walker: DirectoryWalker) throws(TransferError)
    {
        var table: [String: String] = [:]
        for link in links { table[link.path.joined(separator: "/")] = link.target }
        let resolver = LinkResolver(archiveLinks: table, root: target)
        for link in links {
            let name = link.path.joined(separator: "/")
            guard resolver.staysInside(link: link.path, target: link.target) else {
                throw unsafe(name, "symbolic link target '\(link.target)' leaves the target directory")
            }
        }
        for link in links {
            let name = link.path.joined(separator: "/")
            guard let last = link.path.last else { continue }
            let parent = try walker.openDirectory(link.path.dropLast(), create: true, entry: name)
            defer { close(parent) }
            try walker.removeExisting(last, in: parent, entry: name)
            guard symlinkat(link.target, parent, last) == 0 else {
                throw TransferError(path: name, reason: .io(POSIX.lastError()))
            }
        }
    }

    /// Splits a member name into components, refusing absolute names and `..`; `.` and empty components vanish.
    static func components(of name: String, entry: String) throws(TransferError) -> [String] {
        guard !name.hasPrefix("/") else { throw unsafe(entry, "absolute path '\(name)'") }
        let parts = name.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter { $0 != "." }
        guard !parts.contains("..") else { throw unsafe(entry, "path '\(name)' contains '..'") }
        return parts
    }
}

/// The error for a refused member.
func unsafe(_ entry: String, _ text: String) -> TransferError {
    TransferError(path: entry, reason: .unsafeEntry(text))
}
