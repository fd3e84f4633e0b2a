import Testing

@testable import faultline

@Suite("Exit status: one mapping from outcomes to 0/1/2")
struct ExitStatusTests {
    @Test("errors win over a tripped gate; a tripped gate is 1; otherwise 0")
    func mapping() {
        #expect(ExitStatus.code(ExitStatus.outcome(errors: false, gateTripped: false)) == 0)
        #expect(ExitStatus.code(ExitStatus.outcome(errors: false, gateTripped: true)) == 1)
        #expect(ExitStatus.code(ExitStatus.outcome(errors: true, gateTripped: false)) == 2)
        #expect(ExitStatus.code(ExitStatus.outcome(errors: true, gateTripped: true)) == 2)
    }

    @Test("finish returns for exit 0 and throws the code otherwise")
    func finish() throws {
        try ExitStatus.finish()
        #expect(throws: (any Error).self) { try ExitStatus.finish(gateTripped: true) }
        #expect(throws: (any Error).self) { try ExitStatus.finish(errors: true) }
    }
}
