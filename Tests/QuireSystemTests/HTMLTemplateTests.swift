// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// Stored HTML templates through the real server: made with Quire's `POST /templates/html`,
/// listed and read with PDF.co's `GET /templates/html[/{id}]`, printed by `templateId` +
/// `templateData`, changed and deleted; another key sees none of them.
@Suite(.serialized, .enabled(if: chromiumIsInstalled, "Chromium is not installed (scripts/bootstrap.sh installs it)"))
final class HTMLTemplateTests {
    let temp = TemporaryDirectory()
    let server: QuireServer
    let alice = ["x-api-key": "alice-key"]
    let bob = ["x-api-key": "bob-key"]

    init() async throws {
        server = try await QuireServer(
            data: temp.file("data"), arguments: ["--browser-workers", "1", "--api-key", "alice-key", "--api-key", "bob-key"])
    }

    deinit { server.kill9() }

    func call(_ method: String, _ path: String, _ body: [String: Any]? = nil, as key: [String: String]) async throws -> ([String: Any], Int)
    {
        var headers = key
        headers["Content-Type"] = "application/json"
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let (answer, status) = try await HTTP.request(method, "\(server.baseURL)\(path)", body: data, headers: headers)
        return (try HTTP.json(answer), status)
    }

    @Test func storedTemplatesArePrintedByID() async throws {
        let body = "<html><body><h1>Invoice {{number}}</h1><p>{{#each items}}{{name}} {{/each}}</p></body></html>"
        let (created, createdStatus) = try await call(
            "POST", "/v1/templates/html",
            ["title": "Invoice", "description": "Monthly invoice", "body": body, "test_json": #"{"number": 1}"#],
            as: alice)
        try #require(createdStatus == 200, "\(created)")
        let id = try #require(created["id"] as? Int)
        #expect(created["type"] as? String == "user" && created["body"] as? String == body)

        let (list, _) = try await call("GET", "/v1/templates/html", as: alice)
        let templates = try #require(list["templates"] as? [[String: Any]], "\(list)")
        #expect(templates.map { $0["id"] as? Int } == [id])
        #expect(templates.first?["title"] as? String == "Invoice" && templates.first?["body"] == nil, "the list has no bodies")
        let (one, _) = try await call("GET", "/v1/templates/html/\(id)", as: alice)
        #expect(one["body"] as? String == body && one["test_json"] as? String == #"{"number": 1}"#, "\(one)")
        #expect(one["updated_at"] as? String != nil)

        let data = #"{"number": "INV-9", "items": [{"name": "Apples"}, {"name": "Pears"}]}"#
        let (pdf, pdfStatus) = try await HTTP.postJSON(
            "\(server.baseURL)/v1/pdf/convert/from/html", ["templateId": id, "templateData": data], headers: alice)
        try #require(pdfStatus == 200, "\(pdf)")
        let file = temp.file("invoice.pdf")
        try await HTTP.get(try #require(pdf["url"] as? String), headers: alice).0.write(to: file)
        let text = try await runCommand("pdftotext", [file.path, "-"]).output
        #expect(text.contains("Invoice INV-9") && text.contains("Apples Pears"), "\(text)")

        // Another key sees nothing of it, and cannot print, change or delete it.
        #expect(try await call("GET", "/v1/templates/html", as: bob).0["templates"] as? [Any] != nil)
        #expect((try await call("GET", "/v1/templates/html", as: bob).0["templates"] as? [Any])?.isEmpty == true)
        #expect(try await call("GET", "/v1/templates/html/\(id)", as: bob).1 == 404)
        let (stolen, stolenStatus) = try await HTTP.postJSON(
            "\(server.baseURL)/v1/pdf/convert/from/html", ["templateId": "\(id)", "templateData": data], headers: bob)
        #expect(stolenStatus == 447, "\(stolen)")
        #expect(try await call("PUT", "/v1/templates/html/\(id)", ["body": "<p>mine</p>"], as: bob).1 == 404)
        #expect(try await call("DELETE", "/v1/templates/html/\(id)", as: bob).1 == 404)

        let (changed, changedStatus) = try await call(
            "PUT", "/v1/templates/html/\(id)", ["body": "<p>Changed {{number}}</p>", "title": "T2"], as: alice)
        #expect(changedStatus == 200 && changed["title"] as? String == "T2", "\(changed)")
        #expect(try await call("DELETE", "/v1/templates/html/\(id)", as: alice).1 == 200)
        #expect(try await call("GET", "/v1/templates/html/\(id)", as: alice).1 == 404)
        let (gone, goneStatus) = try await HTTP.postJSON(
            "\(server.baseURL)/v1/pdf/convert/from/html", ["templateId": id, "templateData": data], headers: alice)
        #expect(goneStatus == 447, "\(gone)")
    }

    @Test func badTemplatesAreRefused() async throws {
        for (body, expected) in [
            ([String: Any](), 400), (["body": ""], 400), (["body": String(repeating: "x", count: 1_048_577)], 400),
            (["body": "<p>x</p>", "title": String(repeating: "t", count: 1_001)], 400),
        ] {
            let (answer, status) = try await call("POST", "/v1/templates/html", body, as: alice)
            #expect(status == expected, "\(answer)")
        }
        for path in ["/v1/templates/html/0", "/v1/templates/html/-3", "/v1/templates/html/abc", "/v1/templates/html/99999999999999999999"] {
            #expect([400, 404].contains(try await call("GET", path, as: alice).1), "\(path)")
        }
        for id in ["abc", "-1", "1.5", "99999999999999999999"] {
            let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/v1/pdf/convert/from/html", ["templateId": id], headers: alice)
            #expect(status == 447, "\(id): \(answer)")
        }
    }
}
