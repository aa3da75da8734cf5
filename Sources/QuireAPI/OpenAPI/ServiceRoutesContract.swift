// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore

/// The routes besides conversions, written out: their handlers read few parameters, and the
/// multipart and raw-body ones read no `RequestParameters` at all.
enum ServiceRoutesContract {
    static var paths: [String: JSONValue] {
        [
            "/v1/job/check": [
                "post": operation(
                    "job_check", "The state of an async job (always HTTP 200; the state is in `status`).",
                    body: ["jobId": text("The `jobId` an async request answered with.")], required: ["jobId"],
                    responses: AnswerSchemas.responses("JobCheck", "The job's state, and its result once done."))
            ],
            "/v1/file/upload/get-presigned-url": [
                "post": operation(
                    "file_presigned_url", "A URL to PUT a file to, and the URL it will then be read from.",
                    body: [
                        "name": text("The file's name (sanitized)."),
                        "expiration": integer("Minutes the file is kept."),
                    ],
                    responses: AnswerSchemas.responses("Answer", "`presignedUrl` (PUT the bytes there) and `url`."))
            ],
            "/v1/file/upload/base64": [
                "post": operation(
                    "file_upload_base64", "Uploads a file sent as base64 (a data: URL works too).",
                    body: ["file": text("The file's bytes as base64."), "name": text("The file's name.")], required: ["file"],
                    responses: AnswerSchemas.responses("Answer", "The stored file's `url`."))
            ],
            "/v1/file/upload": [
                "post": [
                    "operationId": "file_upload", "summary": "Uploads a file sent as multipart/form-data (a part named `file`).",
                    "requestBody": [
                        "required": true,
                        "content": [
                            "multipart/form-data": [
                                "schema": [
                                    "type": "object",
                                    "properties": ["file": ["type": "string", "contentMediaType": "application/octet-stream"]],
                                    "required": ["file"],
                                ]
                            ]
                        ],
                    ],
                    "responses": AnswerSchemas.responses("Answer", "The stored file's `url`."),
                ]
            ],
            "/v1/file/delete": [
                "post": operation(
                    "file_delete", "Deletes an uploaded or result file before it expires.",
                    body: ["url": text("The file's URL, as Quire gave it.")], required: ["url"],
                    responses: AnswerSchemas.responses("Answer", "Deleted."))
            ],
            "/v1/account/credit/balance": [
                "get": [
                    "operationId": "account_balance", "summary": "PDF.co's credit balance: a constant, Quire counts no credits.",
                    "responses": AnswerSchemas.responses("Answer", "`remainingCredits`."),
                ]
            ],
            "/v1/templates/html": [
                "get": [
                    "operationId": "templates_list", "summary": "The caller's stored HTML templates.",
                    "responses": AnswerSchemas.responses("Answer", "`templates`."),
                ],
                "post": operation(
                    "templates_create", "Stores an HTML template (Handlebars) for `templateId` (a Quire extension).",
                    body: ["body": text("The template's HTML."), "title": text("A title."), "description": text("A description.")],
                    required: ["body"], responses: AnswerSchemas.responses("Answer", "The new template's `id`.")),
            ],
            "/healthz": [
                "get": [
                    "operationId": "healthz", "summary": "200 while the process serves (no key needed).", "security": [],
                    "responses": ["200": ["description": "Alive."], "503": ["$ref": "#/components/responses/Busy"]],
                ]
            ],
            "/readyz": [
                "get": [
                    "operationId": "readyz", "summary": "200 when the queue and the file store answer (no key needed).", "security": [],
                    "responses": ["200": ["description": "Ready."], "503": ["$ref": "#/components/responses/Busy"]],
                ]
            ],
        ]
    }

    private static func text(_ description: String) -> JSONValue { ["type": "string", "description": .string(description)] }

    private static func integer(_ description: String) -> JSONValue { ["type": "integer", "description": .string(description)] }

    private static func operation(
        _ id: String, _ summary: String, body: [String: JSONValue], required: [String] = [], responses: JSONValue
    ) -> JSONValue {
        [
            "operationId": .string(id), "summary": .string(summary),
            "requestBody": [
                "required": .bool(!required.isEmpty),
                "content": [
                    "application/json": [
                        "schema": ["type": "object", "properties": .object(body), "required": .array(required.map { .string($0) })]
                    ]
                ],
            ],
            "responses": responses,
        ]
    }
}
