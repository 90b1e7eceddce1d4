import InterlinkCore
import InterlinkEngine
import Testing

@Suite struct StageMachineTests {
    typealias Event = StageMachine.Event
    typealias Action = StageMachine.Action

    struct Row: Sendable, CustomStringConvertible {
        var name: String
        var reconciles: Bool
        var events: [Event]
        var actions: [Action]
        var description: String { name }
    }

    static let transient = Event.failed(reason: "busy", retryClass: .retryable, retryAfter: nil)
    static let uncertain = Event.failed(reason: "lost", retryClass: .needsReconcile, retryAfter: nil)

    static let table: [Row] = [
        Row(
            name: "fresh success",
            reconciles: false,
            events: [.start(openIntent: nil, previousAttempts: 0), .succeeded],
            actions: [.run(attempt: 1), .complete]
        ),
        Row(
            name: "retry with backoff then give up",
            reconciles: false,
            events: [.start(openIntent: nil, previousAttempts: 0), transient, .waited, transient, .waited, transient],
            actions: [
                .run(attempt: 1), .wait(.milliseconds(500), attempt: 2), .run(attempt: 2),
                .wait(.seconds(1), attempt: 3),
                .run(attempt: 3), .fail(reason: "busy", stopsRun: false),
            ]
        ),
        Row(
            name: "retry-after is a floor",
            reconciles: false,
            events: [
                .start(openIntent: nil, previousAttempts: 0),
                .failed(reason: "429", retryClass: .retryable, retryAfter: .seconds(10)),
            ],
            actions: [.run(attempt: 1), .wait(.seconds(10), attempt: 2)]
        ),
        Row(
            name: "fatal fails at once",
            reconciles: false,
            events: [
                .start(openIntent: nil, previousAttempts: 0),
                .failed(reason: "400", retryClass: .fatal, retryAfter: nil),
            ],
            actions: [.run(attempt: 1), .fail(reason: "400", stopsRun: false)]
        ),
        Row(
            name: "credential stops the run",
            reconciles: true,
            events: [
                .start(openIntent: nil, previousAttempts: 0),
                .failed(reason: "401", retryClass: .credential, retryAfter: nil),
            ],
            actions: [.run(attempt: 1), .fail(reason: "401", stopsRun: true)]
        ),
        Row(
            name: "lost response is looked up, found",
            reconciles: true,
            events: [.start(openIntent: nil, previousAttempts: 0), uncertain, .reconciled(found: true)],
            actions: [.run(attempt: 1), .reconcile(attempt: 1), .complete]
        ),
        Row(
            name: "lost response is looked up, absent, retried",
            reconciles: true,
            events: [
                .start(openIntent: nil, previousAttempts: 0), uncertain, .reconciled(found: false), .waited, .succeeded,
            ],
            actions: [
                .run(attempt: 1), .reconcile(attempt: 1), .wait(.milliseconds(500), attempt: 2), .run(attempt: 2),
                .complete,
            ]
        ),
        Row(
            name: "transient failure of a reconciled step is looked up too",
            reconciles: true,
            events: [
                .start(openIntent: nil, previousAttempts: 0), uncertain, .reconciled(found: false), .waited, transient,
            ],
            actions: [
                .run(attempt: 1), .reconcile(attempt: 1), .wait(.milliseconds(500), attempt: 2), .run(attempt: 2),
                .wait(.seconds(1), attempt: 3),
            ]
        ),
        Row(
            name: "resume with an open intent reconciles first",
            reconciles: true,
            events: [.start(openIntent: 2, previousAttempts: 2), .reconciled(found: false), .succeeded],
            actions: [.reconcile(attempt: 2), .run(attempt: 3), .complete]
        ),
        Row(
            name: "resume of an upload continues without lookup",
            reconciles: false,
            events: [.start(openIntent: 1, previousAttempts: 1), .succeeded],
            actions: [.run(attempt: 2), .complete]
        ),
        Row(
            name: "cancel while waiting interrupts",
            reconciles: false,
            events: [.start(openIntent: nil, previousAttempts: 0), transient, .cancelled],
            actions: [.run(attempt: 1), .wait(.milliseconds(500), attempt: 2), .interrupt]
        ),
    ]

    @Test(arguments: table)
    func decidesTheNextAction(row: Row) {
        var machine = StageMachine(maxAttempts: 3, reconcilesBeforeRetry: row.reconciles, jitter: { 0.5 })
        let actions = row.events.map { machine.handle($0) }
        #expect(actions == row.actions)
    }

    @Test func backoffCeilingDoublesUpToTheCap() {
        let backoff = Backoff.default
        #expect((1...7).map { backoff.ceiling(forRetry: $0) } == [1, 2, 4, 8, 16, 30, 30].map { Duration.seconds($0) })
        #expect(backoff.delay(forRetry: 3, floor: nil, fraction: 0) == .zero)
        #expect(backoff.delay(forRetry: 3, floor: nil, fraction: 1) == .seconds(4))
    }
}
