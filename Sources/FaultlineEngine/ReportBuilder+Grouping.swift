import FaultlineRules

extension ReportBuilder {
    /// Findings of one rule that make one incident, before scoring.
    struct Group {
        let rule: Int
        /// The grouping values (the rule's `group_by` order), filled from every member.
        var values: [String]
        /// Indices of the member findings, one list per source: each source's part is scored on
        /// its own, and the parts are combined as `faultline merge` combines shards.
        var parts: [[Int]]
        var fingerprint = ""
    }

    /// Groups the findings that are neither folded nor symptoms into incidents (step 3 of
    /// ``build(_:rules:)``).
    ///
    /// Within one source (a file or an archive member), findings of a rule whose grouping
    /// values agree where both are known share a group: a traceback that does not repeat the
    /// deployment name is the same incident as the log line that names it. Each such group's
    /// fingerprint comes from its own values. Across sources, groups join only when their
    /// fingerprints are equal, as `faultline merge` joins the incidents of shards; so an
    /// incident's fingerprint and members never depend on which other files were scanned.
    static func groups(_ kept: [RuleFindings], skipping folded: Set<Int>, rules: CompiledRules) -> [Group] {
        var local: [Group] = []
        var bySource: [String: [Int]] = [:]  // source -> indices into `local`
        for (i, f) in kept.enumerated() where !folded.contains(i) && !rules.rules[f.rule].symptom {
            let open = bySource[f.source] ?? []
            if let g = open.first(where: { local[$0].rule == f.rule && compatible(local[$0].values, f.groupValues) }) {
                for (k, v) in f.groupValues.enumerated() where local[g].values[k].isEmpty { local[g].values[k] = v }
                local[g].parts[0].append(i)
            } else {
                bySource[f.source, default: []].append(local.count)
                local.append(Group(rule: f.rule, values: f.groupValues, parts: [[i]]))
            }
        }
        var merged: [Group] = []
        var byFingerprint: [String: Int] = [:]  // rule and fingerprint -> index into `merged`
        for var group in local {
            group.fingerprint = fingerprint(rules.rules[group.rule], group.values)
            let key = "\(group.rule)\u{0}\(group.fingerprint)"
            if let m = byFingerprint[key] {
                merged[m].parts += group.parts
            } else {
                byFingerprint[key] = merged.count
                merged.append(group)
            }
        }
        return merged
    }
}
