// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireJobs
import Testing

/// `--database-url` parsing: what connects where, and what is refused before any connection.
struct PostgresBackendURLTests {
    typealias Settings = PostgresBackend.ConnectionSettings

    static let valid: [(String, Settings)] = [
        (
            "postgres://quire:secret@db.example:6543/jobs",
            Settings(host: "db.example", port: 6543, username: "quire", password: "secret", database: "jobs")
        ),
        // Percent-encoded user and password come out decoded.
        (
            "postgres://qu%40ire:p%40ss%2Fw%3Ard%25@127.0.0.1/quire",
            Settings(host: "127.0.0.1", port: 5432, username: "qu@ire", password: "p@ss/w:rd%", database: "quire")
        ),
        ("postgresql://u@localhost", Settings(host: "localhost", port: 5432, username: "u", password: nil, database: nil)),
        ("postgres://u:p@[::1]:5433/d", Settings(host: "::1", port: 5433, username: "u", password: "p", database: "d")),
    ]

    @Test(arguments: zip(valid.map(\.0), valid.map(\.1)))
    func parses(_ url: String, _ expected: Settings) throws {
        #expect(try PostgresBackend.configuration(url: url) == expected)
    }

    /// Refused with a message naming the setting and never the password.
    @Test(arguments: [
        "http://u:secretpw@h/d", "postgres://h/d", "postgres://u:secretpw@/d", "postgres://u:secretpw@h/d/extra", "not a url at all",
    ])
    func refuses(_ url: String) {
        #expect {
            try PostgresBackend.configuration(url: url)
        } throws: { error in
            let message = "\(error)"
            return message.contains("--database-url") && !message.contains("secretpw")
        }
    }
}
