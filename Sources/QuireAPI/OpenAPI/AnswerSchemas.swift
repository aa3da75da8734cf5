// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore

/// JSON Schemas of PDF.co's answers, as Quire writes them (`JobAnswers`, `APIError`).
enum AnswerSchemas {
    static let all: [String: JSONValue] = [
        "Error": [
            "type": "object",
            "description": "Every refused request and failed sync job; `status` repeats the HTTP status.",
            "properties": [
                "error": ["type": "boolean", "const": true],
                "status": ["type": "integer"],
                "message": ["type": "string"],
            ],
            "required": ["error", "status", "message"],
        ],
        "JobAnswer": [
            "type": "object",
            "description": "A finished sync conversion, or an accepted async one (with `jobId`).",
            "properties": [
                "error": ["type": "boolean", "const": false],
                "status": ["type": "integer"],
                "name": ["type": "string"],
                "url": ["type": "string", "description": "The result file (signed, expiring)."],
                "urls": ["type": "array", "items": ["type": "string"], "description": "One URL per page or part."],
                "jobId": ["type": "string", "description": "With `async=true`: poll it at /v1/job/check."],
                "pageCount": ["type": "integer"],
                "credits": ["type": "integer"],
                "remainingCredits": ["type": "integer"],
                "duration": ["type": "integer", "description": "Milliseconds."],
                "outputLinkValidTill": ["type": "string"],
                "body": ["description": "With `inline=true`: the text, JSON or data: URL of the result."],
            ],
            "required": ["error", "status"],
        ],
        "JobCheck": [
            "type": "object",
            "properties": [
                "jobId": ["type": "string"],
                "status": ["enum": ["working", "success", "failed", "aborted", "unknown"]],
                "error": ["type": "boolean"],
                "message": ["type": "string"],
                "errorCode": ["type": "integer", "description": "The status the failed job would have answered with."],
                "url": ["type": "string"],
                "jobDuration": ["type": "integer"],
            ],
            "required": ["jobId", "status", "error"],
        ],
        "Answer": [
            "type": "object",
            "description": "A PDF.co answer of a service route.",
            "properties": ["error": ["type": "boolean", "const": false]],
            "required": ["error"],
        ],
    ]

    static let responses: [String: JSONValue] = [
        "Error": [
            "description": "Refused: a parameter, input, key or limit (PDF.co's 44x codes for inputs), or a failed sync job.",
            "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]],
        ],
        "Busy": [
            "description": "The queue is full (503) or the store does not answer; see Retry-After.",
            "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]],
        ],
    ]

    static func conversionResponses(hasFile: Bool) -> JSONValue {
        [
            "200": [
                "description": .string(hasFile ? "The result's URL and details." : "The result's fields."),
                "content": ["application/json": ["schema": ["$ref": "#/components/schemas/JobAnswer"]]],
            ],
            "4XX": ["$ref": "#/components/responses/Error"],
            "503": ["$ref": "#/components/responses/Busy"],
        ]
    }

    /// A 200 with `schema` (a component name) and the error responses.
    static func responses(_ schema: String, _ description: String) -> JSONValue {
        [
            "200": [
                "description": .string(description),
                "content": ["application/json": ["schema": ["$ref": .string("#/components/schemas/\(schema)")]]],
            ],
            "4XX": ["$ref": "#/components/responses/Error"],
        ]
    }
}
