// SPDX-License-Identifier: AGPL-3.0-or-later
// libFuzzer target for the `profiles` parser (Sources/QuireAPI/Parameters/Profiles.swift),
// built by scripts/fuzz.sh with swiftc -sanitize=fuzzer,address from that file alone (and
// fuzz/profiles_stubs.swift for the two names it uses from the rest of QuireAPI).
// Two properties: no input crashes or hangs the parser, and strict JSON survives the lenient
// rewriting unchanged (a valid JSON object means the same after `strictJSON`).
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProfiles(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    if let profiles = try? Profiles(parsing: text) {
        _ = profiles.int("RenderPageDPI")
        _ = profiles.bool("DetectTables")
        _ = profiles.string("OCRMode")
    }
    // Only input that is valid UTF-8 (`text` replaced invalid bytes) without NUL: JSON allows
    // neither, but JSONSerialization reads "{\0}\0" as UTF-16 "{}" (a false alarm it raised).
    if Data(text.utf8) == bytes, !bytes.contains(0), let strict = try? JSONSerialization.jsonObject(with: bytes) as? NSDictionary {
        let rewritten = Profiles.strictJSON(text)
        guard let again = try? JSONSerialization.jsonObject(with: Data(rewritten.utf8)) as? NSDictionary, again == strict else {
            fatalError("strictJSON changed a valid JSON object: \(text.debugDescription) became \(rewritten.debugDescription)")
        }
    }
    return 0
}
