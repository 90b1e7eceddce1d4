import Synchronization

/// Counts requests per kind and decides which scripted fault, if any, hits each one.
package final class FaultInjector: Sendable {
    private struct Installed {
        var rule: FaultRule
        var seen = 0
    }

    private struct State {
        var rules: [Installed] = []
        var requests: [String: Int] = [:]
        var bytes: [String: Int] = [:]
    }

    private let state: Mutex<State>

    /// Creates an injector with rules active from the start.
    package init(rules: [FaultRule]) {
        state = Mutex(State(rules: rules.map { Installed(rule: $0) }))
    }

    /// Adds a rule; its `nth` counts matching requests from now on.
    package func install(_ rule: FaultRule) {
        state.withLock { $0.rules.append(Installed(rule: rule)) }
    }

    /// Removes every rule.
    package func clear() {
        state.withLock { $0.rules.removeAll() }
    }

    /// Records one request and returns the first fault that applies to it.
    ///
    /// - Parameters:
    ///   - kind: The request's kind, such as `jobs.create` or `s3.UploadPart`.
    ///   - path: The request's path, for rules that name part of it.
    /// - Returns: The action, or `nil` to process the request normally.
    package func observe(_ kind: String, path: String = "") -> FaultRule.Action? {
        state.withLock { state in
            state.requests[kind, default: 0] += 1
            var action: FaultRule.Action?
            for index in state.rules.indices where state.rules[index].rule.matches(kind, path: path) {
                state.rules[index].seen += 1
                let rule = state.rules[index].rule
                let seen = state.rules[index].seen
                if action == nil, seen >= rule.nth, seen < rule.nth + rule.count { action = rule.action }
            }
            return action
        }
    }

    /// Requests seen so far, per kind.
    package var requestCounts: [String: Int] {
        state.withLock { $0.requests }
    }

    /// Records the body bytes a storage read answered with.
    ///
    /// - Parameters:
    ///   - bytes: The response's `Content-Length`.
    ///   - kind: The request's kind, such as `s3.GetObject`.
    package func served(_ bytes: Int, for kind: String) {
        state.withLock { $0.bytes[kind, default: 0] += bytes }
    }

    /// Response body bytes sent so far for storage reads (GET), per kind.
    package var servedBytes: [String: Int] {
        state.withLock { $0.bytes }
    }
}
