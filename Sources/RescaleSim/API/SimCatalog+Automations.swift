import InterlinkCore

extension SimCatalog {
    /// Automations, as `GET /api/v3/automations/` lists them (a bare array, one of the two forms the platform uses).
    static let automations: [JSONValue] = [
        automation("Aut001", "Notify on completion", executeOn: "post", script: "notify.sh", variables: ["WEBHOOK"]),
        automation("Aut002", "Stage licence", executeOn: "pre", script: "licence.sh", variables: []),
    ]

    private static func automation(
        _ id: String,
        _ name: String,
        executeOn: String,
        script: String,
        variables: [String]
    ) -> JSONValue {
        [
            "id": .string(id), "name": .string(name), "executeOn": .string(executeOn), "scriptName": .string(script),
            "executionFrequency": "once", "description": "", "osFamily": "linux", "analysisDependencies": [],
            "command": .string("bash \(script)"),
            "environmentVariables": .array(variables.map { ["name": .string($0), "defaultValue": .null] }),
        ]
    }
}
