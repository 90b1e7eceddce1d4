import Testing

extension Tag {
    /// Tests that start servers or subprocesses, so a run can pick them out or leave them out.
    @Tag package static var integration: Self
}
