// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore
import Testing

/// `/pdf/edit/add` through the router: the JSON arrays, the legacy `;`/`|` strings and the old
/// flat parameters become typed items; each bad value is a 400 naming the item and key.
struct EditRouterTests {
    /// Every `annotations[]` key PDF.co documents, spelled as clients spell them.
    @Test func annotationKeys() async throws {
        let annotations = #"""
            [{"text": "Total {{amount}}", "X": "10.5", "y": 20, "Size": "14", "color": "#FF0000", "fontName": "Times New Roman",
              "fontBold": true, "fontItalic": "true", "fontUnderline": 1, "fontStrikeout": false, "pages": "0,2-", "link": "www.pdf.co",
              "width": 200, "height": 50, "alignment": "Center", "type": "Text", "id": "a1"},
             {"x": 5, "y": 6, "type": "checkboxChecked", "id": "box", "pages": "!0"},]
            """#
        let spec = try await RouterHarness().queued(
            "/pdf/edit/add", ["annotations": annotations, "templateData": #"{"amount": "$12", }"#])
        let options = try EditAddConversion.options(of: spec)
        let text = try #require(options.texts.first)
        #expect(text.text == "Total $12")
        #expect(text.x == 10.5 && text.y == 20 && text.size == 14)
        #expect(text.color == RGBColor(red: 1, green: 0, blue: 0))
        #expect(text.font == .times && text.bold && text.italic && text.underline && !text.strikeout)
        #expect(text.pages == "0,2-" && text.link == "https://www.pdf.co")
        #expect(text.width == 200 && text.height == 50 && text.alignment == .center && text.id == "a1")
        #expect(options.texts[1].kind == .checkboxChecked && options.texts[1].id == "box" && options.texts[1].pages == "!0")
    }

    /// A text that starts with a combining mark: after the opening quote it made one Character
    /// with it, and the lenient-JSON pass lost the string (a 400 "not a JSON array").
    @Test func textStartingWithACombiningMark() async throws {
        let spec = try await RouterHarness().queued("/pdf/edit/add", ["annotations": "[{\"text\": \"\u{301}e\", 'size': 9,}]"])
        let options = try EditAddConversion.options(of: spec)
        #expect(options.texts.first?.text == "\u{301}e" && options.texts.first?.size == 9)
    }

    /// Image URLs join the job's inputs after the PDF, each URL once.
    @Test func imagesBecomeInputs() async throws {
        let images =
            #"[{"url": "http://img.test/a.png", "x": 1, "y": 2, "width": 50}, {"url": "http://img.test/a.png", "x": 3, "y": 4, "height": 9, "keepAspectRatio": false}]"#
        let spec = try await RouterHarness().queued("/pdf/edit/add", ["images": images])
        #expect(spec.inputs == [RouterHarness.anyURL, "http://img.test/a.png"])
        let options = try EditAddConversion.options(of: spec)
        #expect(options.images.map(\.input) == [1, 1])
        #expect(options.images[0].width == 50 && options.images[0].height == nil)
        #expect(options.images[1].height == 9 && !options.images[1].keepAspectRatio)
    }

    /// The legacy strings, with the style flags the size field may carry.
    @Test(arguments: RouterHarness.Delivery.allCases)
    func legacyStrings(_ delivery: RouterHarness.Delivery) async throws {
        let spec = try await RouterHarness().queued(
            "/pdf/edit/add",
            [
                "annotationsString": "250;20;0-;PDF form filled;24+bold+italic+underline+strikeout;Arial;FF0000;www.pdf.co;true",
                "imagesString": "100;180;0-;http://img.test/logo.png|400;180;0-;http://img.test/logo.png;www.pdf.co;200;200",
                "fieldsString": "1;topmostSubform[0].f1_02[0];John A. Doe|1;c1_01[1];true",
            ], as: delivery)
        let options = try EditAddConversion.options(of: spec)
        let text = try #require(options.texts.first)
        #expect(text.x == 250 && text.y == 20 && text.pages == "0-" && text.text == "PDF form filled" && text.size == 24)
        #expect(text.bold && text.italic && text.underline && text.strikeout && text.font == .helvetica)
        #expect(options.images.count == 2 && options.images[1].width == 200 && options.images[1].link == "https://www.pdf.co")
        #expect(options.fields.map(\.fieldName) == ["topmostSubform[0].f1_02[0]", "c1_01[1]"])
        #expect(options.fields.map(\.text) == ["John A. Doe", "true"])
    }

    /// A NUL would cut a string where the C engine reads it; it is dropped instead.
    @Test func nulBytesAreDropped() async throws {
        let spec = try await RouterHarness().queued(
            "/pdf/edit/add", ["fields": #"[{"fieldName": "na\u0000me", "text": "a\u0000b"}]"#])
        let field = try #require(try EditAddConversion.options(of: spec).fields.first)
        #expect(field.fieldName == "name" && field.text == "ab")
    }

    /// The Cloud API Server's GET form: `type=annotation` with flat parameters, or an image.
    @Test func oldFlatParameters() async throws {
        let harness = try RouterHarness()
        let text = try await harness.queued(
            "/pdf/edit/add",
            ["type": "annotation", "x": "10", "y": "20", "text": "Hello", "fontname": "Courier New", "size": "9", "color": "00FF00"],
            as: .query)
        let stamp = try #require(try EditAddConversion.options(of: text).texts.first)
        #expect(stamp.x == 10 && stamp.y == 20)
        #expect(stamp.text == "Hello" && stamp.font == .courier && stamp.size == 9 && stamp.color == RGBColor(red: 0, green: 1, blue: 0))
        let image = try await harness.queued(
            "/pdf/edit/add", ["type": "image", "x": "10", "y": "20", "urlimage": "http://img.test/i.jpg", "width": "30"], as: .query)
        #expect(try EditAddConversion.options(of: image).images.first?.width == 30)
        #expect(image.inputs.last == "http://img.test/i.jpg")
    }

    @Test(arguments: refusals)
    func refused(_ refusal: Refusal) async throws {
        try await RouterHarness().expectRefused(refusal)
    }

    static let manyAnnotations = "[" + Array(repeating: #"{"text":"x"}"#, count: 10_000).joined(separator: ",") + "]"

    static let refusals: [Refusal] = [
        Refusal("/pdf/edit/add", [:], names: "'annotations'"),
        Refusal("/pdf/edit/add", ["annotations": "not json"], names: "'annotations'"),
        Refusal("/pdf/edit/add", ["annotations": "[1, 2]"], names: "'annotations[0]'"),
        Refusal("/pdf/edit/add", ["annotations": #"[{"text": "a", "size": "NaN"}]"#], names: "'annotations[0].size'"),
        Refusal("/pdf/edit/add", ["annotations": #"[{"text": "a", "size": 0}]"#], names: "'annotations[0].size'"),
        Refusal("/pdf/edit/add", ["annotations": #"[{"text": "a", "size": "12+blink"}]"#], names: "'annotations[0].size'"),
        Refusal("/pdf/edit/add", ["annotations": #"[{"text": "a", "x": 1e300}]"#], names: "'annotations[0].x'"),
        Refusal("/pdf/edit/add", ["annotations": #"[{"text": "a", "y": "-Infinity"}]"#], names: "'annotations[0].y'"),
        Refusal("/pdf/edit/add", ["annotations": #"[{"text": "a", "color": "bluish"}]"#], names: "'annotations[0].color'"),
        Refusal("/pdf/edit/add", ["annotations": #"[{"text": "a", "alignment": "justify"}]"#], names: "'annotations[0].alignment'"),
        Refusal("/pdf/edit/add", ["annotations": #"[{"text": "a", "type": "RadioButton"}]"#], names: "'annotations[0].type'"),
        Refusal("/pdf/edit/add", ["annotations": #"[{"text": "a", "pages": "x-y"}]"#], names: "annotations[0].pages"),
        Refusal("/pdf/edit/add", ["annotations": #"[{"text": "a", "fontBold": "maybe"}]"#], names: "'annotations[0].fontBold'"),
        Refusal("/pdf/edit/add", ["annotations": manyAnnotations], names: "at most 1000"),
        Refusal(
            "/pdf/edit/add", ["annotations": #"[{"text": "\#(String(repeating: "x", count: 100_001))"}]"#], names: "'annotations[0].text'"),
        Refusal("/pdf/edit/add", ["images": #"[{"x": 1}]"#], names: "'images[0].url'"),
        Refusal("/pdf/edit/add", ["images": #"[{"url": "http://i.test/a.png", "width": -5}]"#], names: "'images[0].width'"),
        Refusal("/pdf/edit/add", ["fields": #"[{"text": "x"}]"#], names: "'fields[0].fieldName'"),
        Refusal("/pdf/edit/add", ["annotations": #"[{"text": "a"}]"#, "templateData": "[1]"], names: "'templateData'"),
        Refusal(
            "/pdf/edit/add", ["annotations": #"[{"type": "TextField", "id": "\#(String(repeating: "n", count: 1_025))"}]"#],
            names: "'annotations[0].id'"),
        // 20 000 references to a 1 000-character value: 20 MB of text built from a 100 KB request.
        Refusal(
            "/pdf/edit/add",
            [
                "annotations": #"[{"text": "\#(String(repeating: "{{a}}", count: 20_000))"}]"#,
                "templateData": #"{"a": "\#(String(repeating: "x", count: 1_000))"}"#,
            ], names: "'annotations[0].text'"),
    ]
}

/// `/pdf/edit/replace-text`, `/delete-text` and `/replace-text-with-image` through the router.
struct TextReplaceRouterTests {
    /// The arrays as JSON, items holding commas kept whole.
    @Test func jsonArrays() async throws {
        let harness = try RouterHarness()
        let answer = try await harness.send(
            "/pdf/edit/replace-text",
            rawJSON:
                #"{"url": "\#(RouterHarness.anyURL)", "async": true, "searchStrings": ["a, b", "c"], "replaceStrings": ["x, y", "z"], "caseSensitive": false, "regex": "false", "replacementLimit": 2,}"#
        )
        let options = try ReplaceTextConversion.options(of: try await harness.spec(of: answer))
        #expect(options.searchStrings == ["a, b", "c"])
        #expect(options.replaceStrings == ["x, y", "z"])
        #expect(!options.caseSensitive && !options.regex && options.replacementLimit == 2)
    }

    /// Form clients repeat `searchStrings[]`; the single names work too; case-sensitive by default.
    @Test func formArraysAndSingleStrings() async throws {
        let harness = try RouterHarness()
        let form = try await harness.queued(
            "/pdf/edit/delete-text", ["searchStrings[]": "only one, with a comma", "regexSearch": "true"], as: .form)
        let options = try DeleteTextConversion.options(of: form)
        #expect(options.searchStrings == ["only one, with a comma"])
        #expect(options.regex && options.caseSensitive)
        let single = try await harness.queued("/pdf/edit/replace-text", ["searchString": "old", "replaceString": "new"])
        #expect(try ReplaceTextConversion.options(of: single).replaceStrings == ["new"])
        let image = try await harness.queued(
            "/pdf/edit/replace-text-with-image", ["searchString": "[SIGN]", "replaceImage": "http://img.test/s.png"])
        #expect(image.inputs == [RouterHarness.anyURL, "http://img.test/s.png"])
        #expect(try ReplaceTextWithImageConversion.options(of: image).replaceImage == 1)
    }

    @Test(arguments: refusals)
    func refused(_ refusal: Refusal) async throws {
        try await RouterHarness().expectRefused(refusal)
    }

    static let refusals: [Refusal] = [
        Refusal("/pdf/edit/replace-text", [:], names: "'searchString'"),
        Refusal("/pdf/edit/delete-text", [:], names: "'searchString'"),
        Refusal("/pdf/edit/replace-text", ["searchString": "(", "regex": "true"], names: "'searchStrings'"),
        Refusal("/pdf/edit/replace-text", ["searchString": "a", "replacementLimit": "-1"], names: "'replacementLimit'"),
        Refusal("/pdf/edit/replace-text", ["searchString": "a", "caseSensitive": "maybe"], names: "'caseSensitive'"),
        Refusal("/pdf/edit/replace-text", ["searchString": String(repeating: "x", count: 10_001)], names: "'searchStrings'"),
        Refusal("/pdf/edit/replace-text", ["searchStrings": #"["a"]"#, "replaceStrings": #"["b", "c"]"#], names: "'replaceStrings'"),
        Refusal("/pdf/edit/replace-text-with-image", ["searchString": "a"], names: "'replaceImage'"),
    ]
}
