// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

extension EditAddConversion: MuPDFHosted {
    /// The first input is the PDF; the others are the images its `images[]` items name.
    package static func run(_ options: EditAddOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        let pageCount = try engines.stamper.stamp(
            try call.input(), password: call.password, options: options, files: call.inputs, output: try call.outputURL())
        return EngineResponse(pageCount: pageCount)
    }
}
