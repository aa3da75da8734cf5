// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// What a request's parsing read, when asked to record it. `/openapi.json` learns each
/// endpoint's parameters and profile keys from the code that reads them (`EndpointCatalog`),
/// so the contract cannot drift from the parser behind a second, hand-kept list.
final class ParameterReads: @unchecked Sendable {
    /// How a value was read; a typed read replaces a plain one (`bool` reads through `string`).
    enum Kind: Equatable, Sendable {
        case text
        case list
        case boolean(default: Bool?)
        case integer(default: Int?, range: ClosedRange<Int>?)

        var isTyped: Bool { self != .text }
    }

    private let lock = NSLock()
    private var parameterKinds: [String: Kind] = [:]
    private var profileKinds: [String: Kind] = [:]

    func parameter(_ name: String, _ kind: Kind) {
        lock.withLock { Self.record(name, kind, in: &parameterKinds) }
    }

    func profileKey(_ key: String, _ kind: Kind) {
        lock.withLock { Self.record(key, kind, in: &profileKinds) }
    }

    /// Parameters read, by name (PDF.co's camel case where any read spelled it so).
    var parameters: [String: Kind] { lock.withLock { parameterKinds } }

    /// `profiles` keys read, as the code spells them (matched case-insensitively).
    var profileKeys: [String: Kind] { lock.withLock { profileKinds } }

    /// Keys match case-insensitively; a typed read wins over a plain one, and a camel-case
    /// spelling over an all-lower-case one.
    private static func record(_ name: String, _ kind: Kind, in kinds: inout [String: Kind]) {
        guard let existing = kinds.first(where: { $0.key.lowercased() == name.lowercased() }) else {
            kinds[name] = kind
            return
        }
        let keptKind = existing.value.isTyped && !kind.isTyped ? existing.value : kind
        let keptName = existing.key == existing.key.lowercased() ? name : existing.key
        kinds[existing.key] = nil
        kinds[keptName] = keptKind
    }
}
