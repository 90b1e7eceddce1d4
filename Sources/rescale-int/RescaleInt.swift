import InterlinkCLI

/// The `rescale-int` executable.
@main
enum RescaleInt {
    static func main() async {
        await InterlinkCommand.main()
    }
}
