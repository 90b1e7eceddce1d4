import InterlinkCore

/// The simulator's catalogs of core types and analyses (enough entries to need more than one page).
enum SimCatalog {
    /// Core types: a few named ones plus numbered filler, some inactive.
    static let coreTypes: [JSONValue] = {
        var items: [JSONValue] = [
            coreType("emerald", "Emerald", order: 1, cores: [1, 2, 4, 8, 16, 32]),
            coreType("onyx", "Onyx", order: 2, cores: [1, 2, 4, 9, 18, 36]),
            coreType("hpc-3", "HPC-3", order: 3, cores: [1, 2, 4, 8, 16, 32, 64]),
        ]
        for index in 1...30 {
            items.append(
                coreType("sim-\(index)", "Sim \(index)", order: 10 + index, cores: [1, 2, 4], isActive: index % 3 != 0)
            )
        }
        return items
    }()

    /// Analyses: `user_included` and a couple of named codes, with version codes and allowed core types (every
    /// core type, except OpenFOAM `CPU`, which runs on Emerald and HPC-3 only).
    static let analyses: [JSONValue] = [
        analysis("user_included", "Bring Your Own Software", versions: [("0", "0", nil)]),
        analysis("openfoam", "OpenFOAM", versions: [("v2312", "v2312", nil), ("CPU", "0", ["emerald", "hpc-3"])]),
        analysis("python", "Python", versions: [("3.12", "3.12", nil)]),
    ]

    /// The valid cores per slot of a core type, or `nil` when unknown.
    static func cores(of code: String) -> [Int]? {
        coreTypes.first { $0["code"]?.string == code }?["cores"]?.array?.compactMap(\.int)
    }

    /// The analysis with a code, or `nil`.
    static func analysis(_ code: String) -> JSONValue? {
        analyses.first { $0["code"]?.string == code }
    }

    private static func coreType(_ code: String, _ name: String, order: Int, cores: [Int], isActive: Bool = true)
        -> JSONValue
    {
        [
            "code": .string(code), "name": .string(name), "displayOrder": .number(Double(order)),
            "isActive": .bool(isActive), "cores": .array(cores.map { .number(Double($0)) }),
        ]
    }

    private static func analysis(_ code: String, _ name: String, versions: [(String, String, [String]?)]) -> JSONValue {
        let every: JSONValue = .array(coreTypes.compactMap { $0["code"] })
        return [
            "code": .string(code), "name": .string(name), "description": "", "vendorName": "Sim",
            "displayOrder": 1, "industries": [], "thumbnail": .null,
            "versions": .array(
                versions.map {
                    [
                        "id": .string(SimIDs.make()), "version": .string($0.0), "versionCode": .string($0.1),
                        "allowedCoreTypes": $0.2.map { JSONValue.array($0.map(JSONValue.string)) } ?? every,
                    ]
                }
            ),
        ]
    }
}
