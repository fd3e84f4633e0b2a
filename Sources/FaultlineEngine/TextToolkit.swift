import FaultlineText

// FaultlineText names for engine files that do not import FaultlineText themselves (files other
// work is changing now). Aliases only: the helpers live in FaultlineText, once. Drop an alias once
// every file that uses it imports FaultlineText.

typealias Redactor = FaultlineText.Redactor

/// The timestamp reader of `correlate.after.within_seconds`: ``Timestamp``, which honours UTC offsets.
typealias TimeParser = Timestamp

/// Evidence text without ANSI escape sequences: ``ANSI/strip(_:)-(String)``.
@inline(__always)
func stripANSI(_ text: String) -> String { ANSI.strip(text) }
