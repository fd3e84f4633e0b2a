import FaultlineEngine
import FaultlineRules
import Testing

@Suite("Values: Version ordering")
struct ValuesVersionTests {
    /// `(lower, higher)` pairs: the first must sort strictly before the second.
    static let ordered: [(String, String)] = [
        ("2.0.0-beta.2", "2.0.0-beta.6"),
        ("2.0.0-beta.5", "2.0.0-beta.6"),
        ("2.0.0-beta.6", "2.0.0"),
        ("2.0.0-beta.9", "2.0.0-beta.10"),  // numeric identifiers compare as numbers
        ("2.0.0-alpha.3", "2.0.0-beta.1"),  // text identifiers compare lexically
        ("2.0.0-beta", "2.0.0-beta.1"),  // a shorter identifier list sorts first
        ("2.0.0-beta.2", "2.0.0-rc.1"),
        ("1.0.0b2", "1.0.0rc1"),
        ("1.0.0rc1", "1.0.0"),
        ("1.0.0.dev1", "1.0.0a1"),
        ("1.52.0", "1.52.0.post1"),
        ("1.52.0.post1", "1.52.1"),
        ("0.90.241021.1", "0.91"),
        ("0.90.241021.1", "0.90.241021.2"),
        ("0.7.7", "0.7.10"),
        ("2.11.9", "2.12"),
        ("2.28.2", "2.29.0"),
        ("1.9", "1.10"),
    ]

    @Test("Strict order", arguments: ordered)
    func strictOrder(lower: String, higher: String) throws {
        let a = try #require(Version(lower))
        let b = try #require(Version(higher))
        #expect(a < b)
        #expect(!(b < a))
        #expect(a != b)
    }

    /// Pairs that order as equal.
    static let equal: [(String, String)] = [
        ("2.12", "2.12.0"),
        ("v0.7.7", "0.7.7"),
        ("2.0.0-beta.2", "2.0.0b2"),
        ("2.0.0-beta.2", "2.0.0-beta2"),
        ("1.0.0-rc.1", "1.0.0c1"),
        ("1.2.3+build.7", "1.2.3"),
    ]

    @Test("Equal versions", arguments: equal)
    func equalVersions(left: String, right: String) throws {
        let a = try #require(Version(left))
        let b = try #require(Version(right))
        #expect(a == b)
        #expect(!(a < b) && !(b < a))
    }

    @Test("Description drops a leading v and keeps the rest as written")
    func description() {
        #expect(Version("v0.7.7")?.description == "0.7.7")
        #expect(Version(" 2.0.0-beta.2 ")?.description == "2.0.0-beta.2")
        #expect(Version("0.90.241021.1")?.description == "0.90.241021.1")
    }

    @Test(
        "Not versions", arguments: ["", "v", "beta", "x1.0", "1.0 beta", "1.0;rm", "99999999999999999999.1", ">=1.0"])
    func rejected(text: String) {
        #expect(Version(text) == nil)
    }
}

@Suite("Values: VersionRange")
struct ValuesVersionRangeTests {
    /// `(range, version, contained)`.
    static let cases: [(String, String, Bool)] = [
        (">=2.0.0-beta.2, <2.0.0-beta.6", "2.0.0-beta.2", true),
        (">=2.0.0-beta.2, <2.0.0-beta.6", "2.0.0-beta.5", true),
        (">=2.0.0-beta.2, <2.0.0-beta.6", "2.0.0-beta.6", false),
        (">=2.0.0-beta.2, <2.0.0-beta.6", "2.0.0-beta.1", false),
        (">=2.0.0-beta.2, <2.0.0-beta.6", "2.0.0", false),
        (">=2.0.0-beta.2, <2.0.0-beta.6", "1.0.0", false),
        ("<0.91", "0.90.241021.1", true),
        ("<0.91", "0.91.0", false),
        ("<0.91", "0.98.250324.1", false),
        (">=2.12.0, <=2.29.0", "2.12", true),
        (">=2.12.0, <=2.29.0", "2.28.2", true),
        (">=2.12.0, <=2.29.0", "2.29.0", true),
        (">=2.12.0, <=2.29.0", "2.11.0", false),
        (">=2.12.0, <=2.29.0", "2.29.1", false),
        ("==1.52.0", "1.52.0", true),
        ("==1.52.0", "1.52", true),
        ("==1.52.0", "1.52.0.post1", false),
        ("1.52.0", "1.52.0", true),
        ("!=1.52.0", "1.52.1", true),
        (">1.52.0", "1.52.0.post1", true),
        ("<0.7.8", "v0.7.7", true),
        (">= 2.12, < 2.30", "2.29.9", true),
    ]

    @Test("Contains", arguments: cases)
    func contains(range: String, version: String, expected: Bool) throws {
        let parsed = try #require(VersionRange(range))
        let v = try #require(Version(version))
        #expect(parsed.contains(v) == expected, "\(range) ∋ \(version)")
    }

    @Test("Description is normalized")
    func description() {
        #expect(VersionRange(">= 2.0.0-beta.2,<2.0.0-beta.6")?.description == ">=2.0.0-beta.2, <2.0.0-beta.6")
        #expect(VersionRange("<0.91")?.description == "<0.91")
        #expect(VersionRange("1.52.0")?.description == "==1.52.0")
    }

    @Test("Invalid ranges", arguments: ["", ",", ">=", ">=1.0,", "~1.0", ">=abc", "<0.91 || >1.0"])
    func invalid(text: String) {
        #expect(VersionRange(text) == nil)
    }
}
