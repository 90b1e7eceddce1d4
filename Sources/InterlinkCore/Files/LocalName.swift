import Foundation

/// Local file names made from platform names.
package enum LocalName {
    /// A platform name as one safe local path component: no `/`, never `.` or `..`, never empty.
    package static func safe(_ name: String) -> String {
        let cleaned = name.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "\0", with: "_")
        return cleaned.isEmpty || cleaned == "." || cleaned == ".." ? "_" + cleaned : cleaned
    }
}
