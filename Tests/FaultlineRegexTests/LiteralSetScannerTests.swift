import FaultlineRegex
import Testing

/// SplitMix64: a fixed-seed generator so the property test is reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func fold(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

/// Occurrence count per literal id, found by brute force over every position and length.
func naiveHits(_ text: [UInt8], _ literals: [[UInt8]]) -> [Int: Int] {
    var idsByFolded: [[UInt8]: [Int]] = [:]
    for (id, literal) in literals.enumerated() {
        idsByFolded[literal.map(fold), default: []].append(id)
    }
    let lengths = Set(literals.map(\.count))
    let folded = text.map(fold)
    var hits: [Int: Int] = [:]
    for length in lengths where length <= folded.count {
        let positions = length == 0 ? 0..<1 : 0..<(folded.count - length + 1)
        for start in positions {
            for id in idsByFolded[Array(folded[start..<(start + length)])] ?? [] {
                hits[id, default: 0] += 1
            }
        }
    }
    return hits
}

func scannerHits(_ scanner: LiteralSetScanner, _ text: [UInt8]) -> [Int: Int] {
    var hits: [Int: Int] = [:]
    text.withUnsafeBufferPointer { buffer in
        scanner.scan(buffer) { hits[$0, default: 0] += 1 }
    }
    return hits
}

@Suite struct LiteralSetScannerTests {
    @Test func findsLiteralsCaseInsensitively() {
        let literals = ["Retry-After", "DeploymentNotFound", "429", "xyz"].map { Array($0.utf8) }
        let scanner = LiteralSetScanner(literals: literals)
        #expect(scanner.count == 4)
        let hits = scannerHits(scanner, Array("status 429; RETRY-after: 3 deploymentnotfound".utf8))
        #expect(hits == [0: 1, 1: 1, 2: 1])
    }

    @Test func edgesOfTheBuffer() {
        let literals = ["abc", "abcd", "cd", "d", ""].map { Array($0.utf8) }
        let scanner = LiteralSetScanner(literals: literals)
        for text in ["", "a", "ab", "abc", "abcd", "xabcd", "ABCD", "xxabc"] {
            let bytes = Array(text.utf8)
            #expect(scannerHits(scanner, bytes) == naiveHits(bytes, literals), "\(text)")
        }
    }

    @Test func duplicateLiteralsAreReportedUnderEachID() {
        let literals = ["Error", "ERROR", "error"].map { Array($0.utf8) }
        let scanner = LiteralSetScanner(literals: literals)
        #expect(scannerHits(scanner, Array("an eRRor".utf8)) == [0: 1, 1: 1, 2: 1])
    }

    @Test func matchesNaiveSearchOnRandomText() {
        var rng = SplitMix64(state: 42)
        // A small alphabet with both cases and bytes that collide under `| 0x20` makes hits likely.
        let alphabet: [UInt8] = Array("abcABC xyz@`[{_\u{7F}".utf8) + [0x00, 0xC3, 0xFF, 0xE0]
        func randomBytes(_ count: Int) -> [UInt8] {
            (0..<count).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
        }
        for round in 0..<200 {
            let literalCount = 1 + Int(rng.next() % 40)
            var literals: [[UInt8]] = []
            for _ in 0..<literalCount {
                literals.append(randomBytes(Int(rng.next() % 8)))
            }
            let scanner = LiteralSetScanner(literals: literals)
            let text = randomBytes(Int(rng.next() % 600))
            #expect(scannerHits(scanner, text) == naiveHits(text, literals), "round \(round)")
        }
    }

    /// Over 16 three-byte literals take the separate 3-byte filter; fewer are folded into the 4-byte one.
    @Test func manyLiteralsShareBuckets() {
        var rng = SplitMix64(state: 7)
        let letters = Array("abcdefghijklmnopqrstuvwxyz".utf8)
        var literals: [[UInt8]] = []
        for _ in 0..<3_000 {
            literals.append((0..<(3 + Int(rng.next() % 6))).map { _ in letters[Int(rng.next() % 26)] })
        }
        let scanner = LiteralSetScanner(literals: literals)
        let text = (0..<20_000).map { _ in letters[Int(rng.next() % 26)] }
        #expect(scannerHits(scanner, text) == naiveHits(text, literals))
    }
}
