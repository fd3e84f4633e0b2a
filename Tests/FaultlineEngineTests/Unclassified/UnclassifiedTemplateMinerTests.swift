import FaultlineModel
import Testing

@testable import FaultlineEngine

/// A small deterministic generator (SplitMix64), so random inputs are the same on every run.
struct UnclassifiedRandom {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func word() -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        return String((0..<(3 + below(6))).map { _ in letters[below(letters.count)] })
    }

    mutating func hex(_ count: Int) -> String {
        let digits = Array("0123456789abcdef")
        return String((0..<count).map { _ in digits[below(16)] })
    }
}

func unclassifiedEvidence(_ line: Int, _ text: String) -> Evidence {
    Evidence(source: "app.log", line: line, text: text)
}

/// Templates of `messages` mined in order.
func unclassifiedMine(_ messages: [String], maxClusters: Int = 500, similarity: Double = 0.6) -> TemplateMiner {
    var miner = TemplateMiner(maxClusters: maxClusters, similarity: similarity)
    for (order, message) in messages.enumerated() {
        miner.add(
            message: message, example: unclassifiedEvidence(order + 1, message), timestamp: "t\(order)", order: order)
    }
    return miner
}

func unclassifiedTemplate(_ message: String) -> String {
    MessageTokenizer.render(MessageTokenizer.tokens(of: message))
}

@Suite("Unclassified: template miner")
struct UnclassifiedTemplateMinerTests {
    @Test("ids, URLs, paths, numbers, times and durations are masked; status codes and error codes are kept")
    func masking() {
        #expect(
            unclassifiedTemplate(
                "request_id=req_8f3a2b1c9d0e4f56 POST https://contoso.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-06-01 took 0.5s (120ms) at 2025-05-07T21:44:03Z"
            ) == "request_id=<*> POST https://contoso.openai.azure.com/<*> took <*> (<*>) at <*>")
        #expect(
            unclassifiedTemplate(
                "File /usr/lib/python3.12/site-packages/openai/_client.py:123 failed for 6c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f from 10.0.0.4:8080 object 0x7f3a2c1d4e90 #412 batch 4/26 v2.0.1"
            ) == "File <*> failed for <*> from <*> object <*> #<*> batch <*> <*>"
                || unclassifiedTemplate(
                    "File /usr/lib/python3.12/site-packages/openai/_client.py:123 failed for 6c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f from 10.0.0.4:8080 object 0x7f3a2c1d4e90 #412 batch 4/26 v2.0.1"
                ) == "File <*> failed for <*> from <*> object <*> <*> batch <*> <*>")
        #expect(
            unclassifiedTemplate("openai.NotFoundError: Error code: 404 - {'error': {'code': 'DeploymentNotFound'}}")
                == "openai.NotFoundError: Error code: 404 - {'error': {'code': 'DeploymentNotFound'}}")
        #expect(unclassifiedTemplate("Status: 429 (Too Many Requests)") == "Status: 429 (Too Many Requests)")
        #expect(unclassifiedTemplate("HTTP 404 (: DeploymentNotFound)") == "HTTP 404 (: DeploymentNotFound)")
        #expect(
            unclassifiedTemplate(
                "HTTP Request: POST https://x.openai.azure.com/v1/chat \"HTTP/1.1 500 Internal Server Error\"")
                == "HTTP Request: POST https://x.openai.azure.com/<*> \"HTTP/1.1 500 Internal Server Error\"")
        #expect(
            unclassifiedTemplate("aborting request: 401 status code (no body)")
                == "aborting request: 401 status code (no body)")
        #expect(unclassifiedTemplate("retrying 3 times after 250 tokens") == "retrying <*> times after <*> tokens")
        #expect(
            unclassifiedTemplate(
                "prompt='Summarize the quarterly numbers for the board, in five bullet points' rejected")
                == "prompt='<*>' rejected")
        #expect(
            unclassifiedTemplate("{'message': 'The API deployment for this resource does not exist, please wait'}")
                == "{'message': 'The API deployment for this resource does not exist, please wait'}")
    }

    @Test("kept tokens are marked")
    func keptTokens() {
        let tokens = MessageTokenizer.tokens(
            of:
                "openai.BadRequestError: Error code: 400 - {'code': 'content_filter', 'innererror': {'code': 'ResponsibleAIPolicyViolation'}}"
        )
        let kept = tokens.filter(\.isKept).map(\.text)
        #expect(kept.contains("openai.BadRequestError"))
        #expect(kept.contains("400"))
        #expect(kept.contains("content_filter"))
        #expect(kept.contains("ResponsibleAIPolicyViolation"))
    }

    @Test("a 401 and a 429 never merge, whatever the similarity")
    func statusesNeverMerge() {
        for similarity in [0.0, 0.6] {
            let miner = unclassifiedMine(
                [
                    "Error code: 401 - {'error': {'message': 'Request failed for the deployment'}}",
                    "Error code: 429 - {'error': {'message': 'Request failed for the deployment'}}",
                    "Error code: 401 - {'error': {'message': 'Request failed for the deployment'}}",
                    "Status: 401 (Unauthorized)",
                    "Status: 429 (Too Many Requests)",
                    "HTTP 401 (: PermissionDenied)",
                    "HTTP 429 (: PermissionDenied)",
                ], similarity: similarity)
            let templates = miner.clusters.map(\.template)
            #expect(templates.count == 6)
            #expect(templates.contains("Error code: 401 - {'error': {'message': 'Request failed for the deployment'}}"))
            #expect(templates.contains("Error code: 429 - {'error': {'message': 'Request failed for the deployment'}}"))
            #expect(miner.clusters.first?.count == 2)
        }
    }

    @Test("DeploymentNotFound and content_filter never merge")
    func codesNeverMerge() {
        let miner = unclassifiedMine(
            [
                "openai.BadRequestError: Error code: 400 - {'error': {'code': 'DeploymentNotFound', 'status': 400}}",
                "openai.BadRequestError: Error code: 400 - {'error': {'code': 'content_filter', 'status': 400}}",
                "openai.BadRequestError: Error code: 400 - {'error': {'code': 'insufficient_quota', 'status': 400}}",
            ], similarity: 0)
        #expect(miner.clusters.count == 3)
        #expect(miner.clusters.allSatisfy { !$0.template.contains("<*>") })
    }

    @Test("messages that differ in a request id or a deployment name merge")
    func drainMerges() {
        let miner = unclassifiedMine([
            "Chat completion failed for request req_8f3a2b1c9d0e4f56 on deployment gpt4o-review",
            "Chat completion failed for request req_1a2b3c4d5e6f7a8b on deployment gpt4o-review",
            "Chat completion failed for request chatcmpl-AXk29f3e1b on deployment mini-review",
            "Embedding failed for request req_1a2b3c4d5e6f7a8b",
        ])
        let clusters = miner.clusters
        #expect(clusters.count == 2)
        #expect(clusters[0].template == "Chat completion failed for request <*> on deployment <*>")
        #expect(clusters[0].count == 3)
        #expect(clusters[0].firstOrder == 0)
        #expect(clusters[0].firstSeen == "t0")
        #expect(clusters[0].lastSeen == "t2")
        #expect(clusters[0].example.line == 1)
        #expect(clusters[1].template == "Embedding failed for request <*>")
    }

    @Test("dissimilar messages of the same shape stay apart")
    func dissimilarStayApart() {
        let miner = unclassifiedMine(["Connection refused by host", "Connection reset by peer"])
        #expect(miner.clusters.count == 2)
    }

    @Test("memory is bounded: 10,000 random messages, 50 clusters and one for the rest")
    func boundedMemory() {
        var random = UnclassifiedRandom(state: 42)
        var messages: [String] = []
        for _ in 0..<10_000 {
            let words = (0..<(2 + random.below(10))).map { _ in random.word() }
            messages.append(words.joined(separator: " ") + " id=" + random.hex(12))
        }
        let miner = unclassifiedMine(messages, maxClusters: 50)
        let clusters = miner.clusters
        #expect(clusters.count == 51)
        #expect(clusters.last?.template == TemplateMiner.otherTemplate)
        #expect(clusters.dropLast().allSatisfy { $0.template != TemplateMiner.otherTemplate })
        #expect(clusters.reduce(0) { $0 + $1.count } == 10_000)
        #expect(miner.messageCount == 10_000)
        let other = clusters.last
        #expect(other?.example.line == (other?.firstOrder ?? -1) + 1)
        #expect(other?.firstSeen == other.map { "t\($0.firstOrder)" })
    }

    @Test("ordering: most frequent first, ties by first order; the same input gives the same clusters")
    func orderingAndDeterminism() {
        var random = UnclassifiedRandom(state: 7)
        let shapes = [
            "Error code: 429 - rate limited for deployment %",
            "Error code: 401 - key rejected for deployment %",
            "Connection reset by peer %",
            "Request timed out after %",
        ]
        var messages: [String] = []
        for _ in 0..<500 {
            let shape = shapes[random.below(shapes.count)]
            messages.append(shape.replacingOccurrences(of: "%", with: "\(random.below(1000))s"))
        }
        let first = unclassifiedMine(messages).clusters
        let second = unclassifiedMine(messages).clusters
        #expect(first == second)
        #expect(first.count == 4)
        for (a, b) in zip(first, first.dropFirst()) {
            #expect(a.count > b.count || (a.count == b.count && a.firstOrder < b.firstOrder))
        }
        let tied = unclassifiedMine(["beta failed", "alpha failed", "alpha failed", "beta failed"]).clusters
        #expect(tied.map(\.template) == ["beta failed", "alpha failed"])
    }

    @Test("merging two shards gives the clusters of one miner on the whole input")
    func mergeEqualsConcatenation() {
        var random = UnclassifiedRandom(state: 2025)
        var messages: [String] = []
        for _ in 0..<2_000 {
            switch random.below(8) {
            case 0:
                messages.append(
                    "openai.AuthenticationError: Error code: 401 - {'statusCode': 401, 'message': 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.'}"
                )
            case 1:
                messages.append(
                    "openai.RateLimitError: Error code: 429 - {'error': {'code': '429', 'message': 'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-06-01 have exceeded token rate limit. Please retry after \(random.below(60)) seconds.'}}"
                )
            case 2:
                messages.append(
                    "Microsoft.SemanticKernel.HttpOperationException: HTTP 404 (: DeploymentNotFound) request \(random.hex(8))-\(random.hex(4))-4\(random.hex(3))-8\(random.hex(3))-\(random.hex(12))"
                )
            case 3:
                messages.append(
                    "[handleAbortError] AI response error; aborting request: \(random.below(2) == 0 ? 401 : 500) status code (no body)"
                )
            case 4:
                messages.append(
                    "HTTP Request: POST https://contoso.openai.azure.com/openai/deployments/\(random.word())/chat/completions?api-version=2024-10-21 \"HTTP/1.1 500 Internal Server Error\""
                )
            case 5:
                messages.append("report \(random.below(100)) (\(random.word())-\(random.word())) failed")
            case 6:
                messages.append("httpx.ConnectTimeout: timed out after \(random.below(90)).\(random.below(10))s")
            default:
                messages.append(
                    "Embedding generation failed, pipeline '\(random.word())/\(random.word())', batch \(random.below(9))/26"
                )
            }
        }
        let whole = unclassifiedMine(messages)
        for split in [1, 700, 1_999] {
            var left = TemplateMiner()
            var right = TemplateMiner()
            for (order, message) in messages.enumerated() {
                let evidence = unclassifiedEvidence(order + 1, message)
                if order < split {
                    left.add(message: message, example: evidence, timestamp: "t\(order)", order: order)
                } else {
                    right.add(message: message, example: evidence, timestamp: "t\(order)", order: order)
                }
            }
            left.merge(right)
            #expect(left.clusters == whole.clusters)
        }
        #expect(whole.clusters.reduce(0) { $0 + $1.count } == 2_000)
    }

    @Test("merging bounded shards keeps the counts")
    func mergeBounded() {
        var random = UnclassifiedRandom(state: 3)
        var left = TemplateMiner(maxClusters: 5)
        var right = TemplateMiner(maxClusters: 5)
        for order in 0..<400 {
            let message = (0..<(2 + random.below(6))).map { _ in random.word() }.joined(separator: " ")
            let evidence = unclassifiedEvidence(order + 1, message)
            if order % 2 == 0 {
                left.add(message: message, example: evidence, timestamp: nil, order: order)
            } else {
                right.add(message: message, example: evidence, timestamp: nil, order: order)
            }
        }
        left.merge(right)
        #expect(left.clusters.count == 6)
        #expect(left.clusters.reduce(0) { $0 + $1.count } == 400)
        // Interleaved shards are not consecutive input: the left shard's first five templates fill
        // the merged miner, and the right shard's clusters (from order 1) are counted as the rest.
        #expect(left.clusters.last?.firstOrder == 1)
        #expect(left.clusters.last?.firstSeen == nil)
    }

    @Test("secrets in messages and examples are redacted")
    func secretsRedacted() {
        let jwt =
            "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL2NvZ25pdGl2ZXNlcnZpY2VzLmF6dXJlLmNvbSJ9.c2lnbmF0dXJlc2lnbmF0dXJl"
        let key = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z"
        let azureKey = "0123456789abcdef0123456789abcdef"
        let message = "request rejected: Authorization: Bearer \(jwt) api-key: \(azureKey) key=\(key)"
        var miner = TemplateMiner()
        miner.add(
            message: message, example: unclassifiedEvidence(3, "2025-05-07 21:44:03 error: " + message),
            timestamp: "2025-05-07 21:44:03", order: 0)
        let cluster = miner.clusters[0]
        for secret in [jwt, key, azureKey, "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z"] {
            #expect(!cluster.template.contains(secret))
            #expect(!cluster.example.text.contains(secret))
        }
        #expect(cluster.example.text.contains("[REDACTED"))
        #expect(cluster.example.line == 3)
    }

    @Test("unexpanded references stay: they are evidence")
    func referencesKept() {
        var miner = TemplateMiner()
        let message = "Incorrect API key provided: $OPENAI_API_KEY"
        miner.add(message: message, example: unclassifiedEvidence(1, message), timestamp: nil, order: 0)
        #expect(miner.clusters[0].template.contains("$OPENAI_API_KEY"))
        #expect(miner.clusters[0].example.text.contains("$OPENAI_API_KEY"))
    }

    @Test("edge cases: empty messages, huge messages, no clusters allowed")
    func edges() {
        var miner = TemplateMiner(maxClusters: 0)
        miner.add(message: "", example: unclassifiedEvidence(1, ""), timestamp: nil, order: 0)
        miner.add(message: "x", example: unclassifiedEvidence(2, "x"), timestamp: nil, order: 1)
        #expect(miner.clusters.count == 1)
        #expect(miner.clusters[0].template == TemplateMiner.otherTemplate)
        #expect(miner.clusters[0].count == 2)

        var big = TemplateMiner()
        let huge = String(repeating: "word é ", count: 200_000)
        big.add(message: huge, example: unclassifiedEvidence(1, "x"), timestamp: nil, order: 0)
        big.add(message: "", example: unclassifiedEvidence(2, ""), timestamp: nil, order: 1)
        #expect(big.clusters.count == 2)
        #expect(big.clusters.allSatisfy { $0.template.utf8.count <= MessageTokenizer.maxBytes + 64 })
    }
}
