// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// An HTML template kept on the server (`templateId` of `/pdf/convert/from/html`), owned by the
/// key that made it, as PDF.co's "user" templates are owned by an account.
package struct StoredTemplate: Sendable, Equatable {
    package var id: Int
    package var owner: String
    package var title: String
    package var description: String
    /// The HTML, with Handlebars/Mustache placeholders.
    package var body: String
    /// Sample data for it (PDF.co's `test_json`).
    package var testJSON: String
    package var updatedAt: Date

    package init(id: Int, owner: String, title: String, description: String, body: String, testJSON: String, updatedAt: Date) {
        self.id = id
        self.owner = owner
        self.title = title
        self.description = description
        self.body = body
        self.testJSON = testJSON
        self.updatedAt = updatedAt
    }

    /// Template `id` of `owner` with `content`, as changed at `updatedAt`.
    package init(id: Int, owner: String, content: TemplateContent, updatedAt: Date) {
        self.init(
            id: id, owner: owner, title: content.title, description: content.description, body: content.body,
            testJSON: content.testJSON, updatedAt: updatedAt)
    }
}

/// What a new or changed template says (its ID and owner come from the store and the key).
package struct TemplateContent: Sendable, Equatable {
    package var title: String
    package var description: String
    package var body: String
    package var testJSON: String

    package init(title: String, description: String, body: String, testJSON: String) {
        self.title = title
        self.description = description
        self.body = body
        self.testJSON = testJSON
    }
}

/// Where HTML templates live: the embedded SQLite database, or PostgreSQL for several nodes.
package protocol TemplateStore: Sendable {
    /// Stores a new template of `owner`; returns it with its ID.
    func create(_ content: TemplateContent, owner: String, now: Date) async throws -> StoredTemplate
    /// Replaces template `id` of `owner`; nil when it has none by that ID.
    func update(id: Int, _ content: TemplateContent, owner: String, now: Date) async throws -> StoredTemplate?
    /// Removes template `id` of `owner`; false when it has none by that ID.
    func delete(id: Int, owner: String) async throws -> Bool
    func template(id: Int, owner: String) async throws -> StoredTemplate?
    /// `owner`'s templates by ID, at most `limit`.
    func list(owner: String, limit: Int) async throws -> [StoredTemplate]
    /// How many templates `owner` has.
    func count(owner: String) async throws -> Int
}

/// Templates in memory: for tests of the router, and nothing else.
package actor MemoryTemplateStore: TemplateStore {
    private var templates: [Int: StoredTemplate] = [:]
    private var nextID = 1

    package init() {}

    package func create(_ content: TemplateContent, owner: String, now: Date) -> StoredTemplate {
        defer { nextID += 1 }
        let template = StoredTemplate(id: nextID, owner: owner, content: content, updatedAt: now)
        templates[nextID] = template
        return template
    }

    package func update(id: Int, _ content: TemplateContent, owner: String, now: Date) -> StoredTemplate? {
        guard templates[id]?.owner == owner else { return nil }
        let template = StoredTemplate(id: id, owner: owner, content: content, updatedAt: now)
        templates[id] = template
        return template
    }

    package func delete(id: Int, owner: String) -> Bool {
        guard templates[id]?.owner == owner else { return false }
        templates[id] = nil
        return true
    }

    package func template(id: Int, owner: String) -> StoredTemplate? {
        templates[id].flatMap { $0.owner == owner ? $0 : nil }
    }

    package func list(owner: String, limit: Int) -> [StoredTemplate] {
        Array(templates.values.filter { $0.owner == owner }.sorted { $0.id < $1.id }.prefix(limit))
    }

    package func count(owner: String) -> Int {
        templates.values.filter { $0.owner == owner }.count
    }
}
