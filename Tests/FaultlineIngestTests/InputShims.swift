import FaultlineModel

@testable import FaultlineIngest

/// The walker's and opener's collector API as the tests read it: the value and what was
/// collected, side by side.
extension InputWalker {
    static func expand(_ paths: [String], options: WalkOptions = WalkOptions()) -> (
        files: [InputFile], diagnostics: [Diagnostic]
    ) {
        var diagnostics = Diagnostics()
        let files = expand(paths, options: options, diagnostics: &diagnostics)
        return (files, diagnostics.all)
    }
}

extension InputOpener {
    static func read(
        _ file: InputFile, options: ReaderOptions, _ body: (borrowing LineView) -> Void
    ) -> (stats: ReadStats, diagnostics: [Diagnostic]) {
        var diagnostics = Diagnostics()
        let stats = read(file, options: options, diagnostics: &diagnostics, body)
        return (stats, diagnostics.all)
    }

    static func read(
        _ file: InputFile, options: ReaderOptions, limits: ArchiveLimits = ArchiveLimits(),
        _ body: (_ source: String, _ line: borrowing LineView) -> Void
    ) -> (stats: ReadStats, diagnostics: [Diagnostic]) {
        var diagnostics = Diagnostics()
        let stats = read(file, options: options, limits: limits, diagnostics: &diagnostics, body)
        return (stats, diagnostics.all)
    }

    static func readMembers(
        _ file: InputFile, options: ReaderOptions, _ member: (_ source: String, _ reader: LineReader) -> SinkAction
    ) -> (stats: ReadStats, diagnostics: [Diagnostic]) {
        var diagnostics = Diagnostics()
        let stats = readMembers(file, options: options, diagnostics: &diagnostics, member)
        return (stats, diagnostics.all)
    }
}
