import InterlinkCore
import RescaleAPI

/// The platform's analyses and core types, read once per run, and what they say about a job before anything is
/// uploaded: the `versionCode` its version is sent as, and whether its core type and cores per slot are allowed.
package struct AnalysisCatalog: Hashable, Sendable {
    /// The analyses by code.
    package var analyses: [String: AnalysisRecord]
    /// The core types by code.
    package var coreTypes: [String: CoreTypeRecord]

    /// Creates a catalogue from the two listings.
    ///
    /// - Parameters:
    ///   - analyses: `GET /api/v3/analyses/`.
    ///   - coreTypes: `GET /api/v3/coretypes/`.
    package init(analyses: [AnalysisRecord], coreTypes: [CoreTypeRecord]) {
        self.analyses = Dictionary(analyses.map { ($0.code, $0) }) { first, _ in first }
        self.coreTypes = Dictionary(coreTypes.map { ($0.code, $0) }) { first, _ in first }
    }

    /// Sends the job's version as a `versionCode`, or says why the platform would refuse the job.
    ///
    /// A value that already is a `versionCode` of the analysis is kept; a display `version` becomes its
    /// `versionCode`. The core type must be in the version's `allowedCoreTypes` (when a version is named and the
    /// catalogue lists them) and the cores per slot in the core type's `cores`.
    ///
    /// - Parameter job: The job as planned; on success, the job to send.
    /// - Returns: The first problem found, or nil.
    package func check(_ job: inout JobSpec) -> AnalysisCheckError.Reason? {
        let code = job.analysis.code
        guard let analysis = analyses[code] else {
            return .unknownAnalysis(code, known: analyses.keys.sorted())
        }
        var resolved = job
        var chosen: AnalysisRecord.Version?
        let versions = analysis.versions ?? []
        if let written = job.analysis.version?.trimmingWhitespace(), !written.isEmpty {
            if let version = versions.first(where: { $0.versionCode == written }) {
                chosen = version
            } else if let version = versions.first(where: { $0.version == written }),
                let versionCode = version.versionCode
            {
                chosen = version
                resolved.analysis.version = versionCode
            } else {
                let known = versions.map { version in
                    let name = version.version ?? version.versionCode ?? "?"
                    return version.versionCode.map { $0 == name ? name : "\(name) (\($0))" } ?? name
                }
                return .unknownVersion(written, analysis: code, known: known)
            }
        }
        let coreType = job.hardware.coreType
        guard let record = coreTypes[coreType] else {
            let active = coreTypes.values.filter { $0.isActive != false }.map(\.code).sorted()
            return .unknownCoreType(coreType, known: active)
        }
        if let chosen, let allowed = chosen.allowedCoreTypes, !allowed.contains(coreType) {
            let version = chosen.version ?? chosen.versionCode ?? "?"
            return .coreTypeNotAllowed(coreType, analysis: code, version: version, allowed: allowed.sorted())
        }
        if let cores = record.cores, !cores.isEmpty, !cores.contains(job.hardware.coresPerSlot) {
            return .coresPerSlotNotValid(job.hardware.coresPerSlot, coreType: coreType, valid: cores)
        }
        job = resolved
        return nil
    }

    /// The plan with every job's version sent as its `versionCode`.
    ///
    /// - Parameter plan: The plan as made from the workflow.
    /// - Returns: The plan to run (content hashes unchanged: they describe what the user wrote).
    /// - Throws: ``AnalysisCheckError`` listing every distinct problem, each at the first job that has it.
    package func resolve(_ plan: Plan) throws(AnalysisCheckError) -> Plan {
        var resolved = plan
        var problems: [AnalysisCheckError.Problem] = []
        var seen: [AnalysisCheckError.Reason: Int] = [:]
        for index in resolved.nodes.indices {
            guard case .job(let job) = resolved.nodes[index].kind else { continue }
            var sent = job
            switch check(&sent) {
            case nil:
                resolved.nodes[index].kind = .job(sent)
            case let reason?:
                if let first = seen[reason] {
                    problems[first].jobs += 1
                } else {
                    seen[reason] = problems.count
                    problems.append(.init(reason: reason, job: job.name, location: job.origin))
                }
            }
        }
        guard problems.isEmpty else { throw AnalysisCheckError(problems: problems) }
        return resolved
    }
}
