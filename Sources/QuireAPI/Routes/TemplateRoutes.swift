// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Hummingbird
import QuireCore
import QuireStorage

/// HTML templates: PDF.co's `GET /templates/html` (the key's templates) and
/// `GET /templates/html/{id}` (one, with its `body`), and Quire's own way to manage them, as
/// PDF.co has only its dashboard for that: `POST /templates/html` adds one, `PUT` or `POST`
/// `/templates/html/{id}` replaces it, `DELETE /templates/html/{id}` removes it.
struct TemplateRoutes {
    let services: APIServices

    /// Templates one key may keep, and the size of one (a template is HTML, not its images).
    static let maxTemplatesPerKey = 1_000
    static let maxBodyBytes = 1 << 20

    func add(to routes: RouteTable) {
        let templates = services.templates
        let maxRequestBytes = services.limits.maxRequestBytes
        routes.add("/templates/html", methods: [.get]) { _, context in
            let list = try await templates.list(owner: context.owner, limit: Self.maxTemplatesPerKey)
            let items: [JSONValue] = list.map { template in
                .object([
                    "id": .int(template.id), "type": .string("user"), "title": .string(template.title),
                    "description": .string(template.description),
                ])
            }
            return Self.answer(["templates": .array(items)])
        }
        routes.add("/templates/html", methods: [.post]) { request, context in
            var request = request
            let content = try Self.content(try await request.parameters(maxBodyBytes: maxRequestBytes))
            guard try await templates.count(owner: context.owner) < Self.maxTemplatesPerKey else {
                throw APIError(429, "This key keeps \(Self.maxTemplatesPerKey) templates already: delete one first.")
            }
            return Self.answer(Self.fields(try await templates.create(content, owner: context.owner, now: Date())))
        }
        routes.add("/templates/html/:id", methods: [.get]) { _, context in
            let id = try Self.id(context)
            guard let template = try await templates.template(id: id, owner: context.owner) else { throw Self.notFound(id) }
            return Self.answer(Self.fields(template))
        }
        routes.add("/templates/html/:id", methods: [.put, .post]) { request, context in
            var request = request
            let id = try Self.id(context)
            let content = try Self.content(try await request.parameters(maxBodyBytes: maxRequestBytes))
            guard let template = try await templates.update(id: id, content, owner: context.owner, now: Date()) else {
                throw Self.notFound(id)
            }
            return Self.answer(Self.fields(template))
        }
        routes.add("/templates/html/:id", methods: [.delete]) { _, context in
            let id = try Self.id(context)
            guard try await templates.delete(id: id, owner: context.owner) else { throw Self.notFound(id) }
            return Self.answer(["id": .int(id), "message": .string("Deleted")])
        }
    }

    /// PDF.co's fields of one template (`test_json`, `updated_at` in its snake case).
    static func fields(_ template: StoredTemplate) -> [String: JSONValue] {
        [
            "id": .int(template.id), "type": .string("user"), "title": .string(template.title),
            "description": .string(template.description), "test_json": .string(template.testJSON),
            "updated_at": .string(template.updatedAt.formatted(.iso8601)), "body": .string(template.body),
        ]
    }

    /// A template's fields from a request: `body` (or `html`, as `/pdf/convert/from/html` names
    /// it) required; `title`, `description` and `test_json` (or `testJson`) optional.
    static func content(_ parameters: RequestParameters) throws -> TemplateContent {
        guard let body = parameters.string(anyOf: "body", "html"), !body.isEmpty else {
            throw APIError.missing("body", "Pass the template's HTML in 'body'.")
        }
        guard body.utf8.count <= maxBodyBytes else { throw APIError.badParameter("body", "it is longer than 1 MB.") }
        let title = parameters.string("title") ?? ""
        let description = parameters.string("description") ?? ""
        let testJSON = parameters.string(anyOf: "test_json", "testJson") ?? ""
        for (name, value) in [("title", title), ("description", description)] where value.count > 1_000 {
            throw APIError.badParameter(name, "it is longer than 1 000 characters.")
        }
        guard testJSON.utf8.count <= maxBodyBytes else { throw APIError.badParameter("test_json", "it is longer than 1 MB.") }
        return TemplateContent(title: title, description: description, body: body, testJSON: testJSON)
    }

    static func id(_ context: QuireRequestContext) throws -> Int {
        guard let text = context.parameters.get("id"), let id = Int(text), id > 0 else {
            throw APIError(400, "A template ID is a positive whole number.")
        }
        return id
    }

    static func notFound(_ id: Int) -> APIError {
        APIError(404, "No template \(id) is kept for this key.")
    }

    static func answer(_ fields: [String: JSONValue]) -> Response {
        var fields = fields
        fields["error"] = .bool(false)
        fields["status"] = .int(200)
        fields["credits"] = .int(0)
        fields["remainingCredits"] = .int(JobAnswers.remainingCredits)
        return JSONAnswer.make(fields)
    }
}
