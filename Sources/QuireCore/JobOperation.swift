// SPDX-License-Identifier: AGPL-3.0-or-later

/// The stable ID of a conversion, stored in the job queue: never rename one. Each is declared
/// beside its conversion (`extension JobOperation { static let … }`); everything else about an
/// operation is declared by the conversion (`Conversions`).
package struct JobOperation: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    package let rawValue: String

    package init(rawValue: String) { self.rawValue = rawValue }

    package init(_ rawValue: String) { self.rawValue = rawValue }

    /// Refuses an ID no conversion of this version has (a record written by a newer version):
    /// the record does not decode, as an unknown enum case would not.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        rawValue = try container.decode(String.self)
        guard Conversions.isKnown(self) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Unknown operation \(rawValue)")
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    package var description: String { rawValue }
}
