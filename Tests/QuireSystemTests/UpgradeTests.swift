// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// A data directory written by the previous version (schema `files-v1`/`jobs-v1`, a queued job
/// whose fetch credentials sit in `options` beside its string options, world-readable modes) is
/// taken over by this one: the job runs with its credentials and options, the catalog gains `isUpload` (old rows count as client
/// content), the modes are tightened and the credentials are gone once the job ended.
struct UpgradeTests {
    /// The previous version's tables, as GRDB created them at commit 53c6ca5.
    static let previousSchema = """
        CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
        INSERT INTO grdb_migrations VALUES ('files-v1'), ('jobs-v1');
        CREATE TABLE "files" ("id" TEXT PRIMARY KEY, "owner" TEXT NOT NULL, "name" TEXT NOT NULL, "size" INTEGER,
          "createdAt" DATETIME NOT NULL, "expiresAt" DATETIME NOT NULL, "isReady" BOOLEAN NOT NULL);
        CREATE INDEX "files_on_expiresAt" ON "files"("expiresAt");
        CREATE TABLE "jobs" ("id" TEXT PRIMARY KEY, "owner" TEXT NOT NULL, "spec" TEXT NOT NULL, "state" TEXT NOT NULL,
          "attempts" INTEGER NOT NULL, "maxAttempts" INTEGER NOT NULL, "leaseOwner" TEXT, "leaseExpiresAt" DATETIME,
          "result" TEXT, "failure" TEXT, "createdAt" DATETIME NOT NULL, "startedAt" DATETIME, "finishedAt" DATETIME,
          "expiresAt" DATETIME);
        CREATE INDEX "jobs_state_created" ON "jobs"("state", "createdAt");
        """

    @Test func previousDataDirectoryIsTakenOver() async throws {
        let temp = TemporaryDirectory()
        let www = try LoopbackFileServer()
        try www.put("old.pdf", TestPDF.make(pages: ["Queued before the upgrade"]))
        let data = temp.file("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        chmod(data.path, 0o755)
        let spec = #"""
            {"operation": "pdf.to-text", "inputs": ["\#(www.url("old.pdf"))"], "outputName": "old.txt", "resultFileID": "OLDRESULT0000000000000000000001",
             "expirationMinutes": 60, "options": {"httpusername": "legacy-user", "httppassword": "legacy-secret-4711", "lineending": "crlf"}}
            """#
        let script = """
            import sqlite3, sys, datetime
            db = sqlite3.connect(sys.argv[1])
            db.executescript(sys.argv[2])
            now = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S.000")
            db.execute("INSERT INTO files VALUES ('OLDFILE000000000000000000000001', 'anonymous', 'old.html', 5, ?, '2999-01-01 00:00:00.000', 1)", (now,))
            db.execute("INSERT INTO jobs (id, owner, spec, state, attempts, maxAttempts, createdAt) VALUES ('OLDJOB', 'anonymous', ?, 'queued', 0, 3, ?)", (sys.argv[3], now))
            db.commit()
            """
        let written = try await runCommand(
            "python3", ["-c", script, data.appendingPathComponent("quire.sqlite").path, Self.previousSchema, spec])
        #expect(written.status == 0, "\(written.output)")
        chmod(data.appendingPathComponent("quire.sqlite").path, 0o644)

        let server = try await QuireServer(data: data, arguments: ["--workers", "1", "--allow-private-urls"])
        defer { server.stop() }
        let check = try await waitForJob(server.baseURL, "OLDJOB", timeout: 60)
        #expect(check["status"] as? String == "success", "\(check)")
        let (text, _) = try await HTTP.get(try #require(check["url"] as? String))
        #expect(String(decoding: text, as: UTF8.self).contains("Queued before the upgrade"))
        // Its options were strings then (`lineending`): read as the typed options of today.
        #expect(String(decoding: text, as: UTF8.self).contains("\r\n"))
        let basic = "Basic " + Data("legacy-user:legacy-secret-4711".utf8).base64EncodedString()
        #expect(www.authorizations().contains { $0.path == "/old.pdf" && $0.authorization == basic })

        let dump = try await runCommand(
            "python3",
            [
                "-c",
                "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); print(list(db.execute('select id, isUpload from files'))); print(list(db.execute('select spec from jobs')))",
                data.appendingPathComponent("quire.sqlite").path,
            ]
        ).output
        #expect(dump.contains("('OLDFILE000000000000000000000001', 1)"), "\(dump)")
        #expect(!dump.contains("legacy-secret-4711"), "\(dump)")
        let mode = ((try FileManager.default.attributesOfItem(atPath: data.path)[.posixPermissions]) as? NSNumber)?.intValue
        #expect(mode == 0o700)
    }
}
