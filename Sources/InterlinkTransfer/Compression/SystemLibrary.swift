import CSystemCodecs

/// A compression library the tool loads from the system at run time (see `CSystemCodecs.h`), so that building
/// needs neither library's `-dev` package and a machine without one still runs every command that does not use it.
package enum SystemLibrary: String, CaseIterable, Sendable {
    /// zlib (`libz.so.1`, Debian's `zlib1g`, on every Debian system).
    case zlib
    /// zstd (`libzstd.so.1`, Debian's `libzstd1`).
    case zstd

    /// The shared object's name.
    package var soname: String {
        switch self {
        case .zlib: "libz.so.1"
        case .zstd: "libzstd.so.1"
        }
    }

    /// The Debian package that ships ``soname``.
    package var debianPackage: String {
        switch self {
        case .zlib: "zlib1g"
        case .zstd: "libzstd1"
        }
    }

    /// Loads the library once per process.
    ///
    /// - Throws: `TransferError` with reason `.libraryMissing` naming the library and the package to install.
    package func load() throws(TransferError) {
        let problem =
            switch self {
            case .zlib: il_zlib_load()
            case .zstd: il_zstd_load()
            }
        if let problem {
            throw TransferError(
                path: rawValue,
                reason: .libraryMissing(problem: String(cString: problem), package: debianPackage)
            )
        }
    }
}
