extension CommandPattern {
    /// The job numbers a preview shows, as Interlink's `--command-pattern-test` does.
    package static let previewIndices = [1, 2, 3, 5, 10]

    /// The number in a template job name: its last run of ASCII digits (`Run_1` → 1), or nil.
    ///
    /// - Parameter jobName: The template's job name.
    /// - Returns: The number, or nil when the name has no digits.
    package static func index(inJobName jobName: String) -> Int? {
        RunDirectoryScan.lastNumber(in: jobName)
    }

    /// The text `make-dirs-csv --command-pattern-test` prints: the template command, what was found in it
    /// (placeholders, or every raw detection before overlap removal), the number in the template job name, and
    /// the command for jobs 1, 2, 3, 5 and 10.
    ///
    /// - Parameters:
    ///   - command: The template command.
    ///   - jobName: The template job name.
    /// - Returns: Lines of text, each ending in a newline.
    package static func preview(command: String, jobName: String) -> String {
        var text = "Template command:\n  \(command)\n\n"
        let found = placeholders(in: command)
        let detections = detect(in: command)
        if !found.isEmpty {
            text += "Placeholders (numbers are not guessed when a placeholder is present):\n"
            let scalars = Array(command.unicodeScalars)
            for (number, placeholder) in found.enumerated() {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars[placeholder.range])
                let padding = placeholder.width > 0 ? "zero-padded to \(placeholder.width) digits" : "not padded"
                text += "  [\(number + 1)] \"\(String(view))\"  (\(padding))\n"
            }
        } else if detections.isEmpty {
            return "No numeric patterns detected in command:\n  \(command)\n"
                + "Use {index} or {index:03} where the job number belongs.\n"
        } else {
            text += "Detected patterns (before overlap removal):\n"
            for (number, detection) in detections.enumerated() {
                text +=
                    "  [\(number + 1)] \"\(detection.text)\"  (prefix=\(detection.prefix) "
                    + "number=\(detection.digits) suffix=\(detection.suffix))\n"
            }
        }
        let templateIndex = index(inJobName: jobName).map(String.init) ?? "none"
        text += "\nTemplate job name '\(jobName)' index: \(templateIndex)\n\nPreview:\n"
        for index in previewIndices {
            text += "  \(index): \(iterate(command, index: index))\n"
        }
        return text
    }
}
