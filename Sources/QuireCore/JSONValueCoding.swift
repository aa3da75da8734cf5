// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

// `Encodable` → `JSONValue` and `JSONValue` → `Decodable` without JSON text in between. A job's
// options go both ways several times per job; through JSONEncoder and JSONDecoder that was about
// 6 % of the server's CPU on small jobs in perf. The results equal the JSON round trip's:
// whole numbers become `.int` (as JSONDecoder reads "2"), nil optionals are left out, and
// numbers that are not finite are refused.

extension JSONValue {
    /// Any `Encodable` value as JSON.
    package init(encoding value: some Encodable) throws {
        if let json = value as? JSONValue {
            self = json
            return
        }
        let node = ValueNode()
        try value.encode(to: ValueEncoder(node: node, codingPath: []))
        self = node.value
    }

    /// This JSON as a `Decodable` type.
    package func decoded<T: Decodable>(as type: T.Type) throws -> T {
        try ValueDecoder(value: self, codingPath: []).decode(type)
    }

    /// A number as JSON text would carry it back: whole values as `.int`.
    fileprivate static func number(_ value: Double, _ codingPath: [any CodingKey]) throws -> JSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) is not valid JSON"))
        }
        if let whole = Int(exactly: value) { return .int(whole) }
        return .double(value)
    }
}

// MARK: - Encoding

/// A value being built; containers write into it, possibly after it was handed out.
private final class ValueNode {
    enum Content {
        case value(JSONValue)
        case object([String: ValueNode])
        case array([ValueNode])
    }

    var content: Content = .value(.null)

    var value: JSONValue {
        switch content {
        case .value(let value): value
        case .object(let members): .object(members.mapValues(\.value))
        case .array(let items): .array(items.map(\.value))
        }
    }

    func makeObject() {
        if case .object = content { return }
        content = .object([:])
    }

    func makeArray() {
        if case .array = content { return }
        content = .array([])
    }

    func set(_ key: String, _ node: ValueNode) {
        guard case .object(var members) = content else { return }
        content = .value(.null)  // one reference to the dictionary while it changes
        members[key] = node
        content = .object(members)
    }

    func append(_ node: ValueNode) {
        guard case .array(var items) = content else { return }
        content = .value(.null)
        items.append(node)
        content = .array(items)
    }

    var count: Int {
        if case .array(let items) = content { items.count } else { 0 }
    }
}

private struct ValueEncoder: Encoder {
    let node: ValueNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(KeyedValueEncoder<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return UnkeyedValueEncoder(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueEncoder(node: node, codingPath: codingPath)
    }
}

/// Encodes `value` into `node`: primitives directly, anything else through its own `encode(to:)`.
private func encode(_ value: some Encodable, into node: ValueNode, codingPath: [any CodingKey]) throws {
    switch value {
    case let json as JSONValue: node.content = .value(json)
    case let text as String: node.content = .value(.string(text))
    case let flag as Bool: node.content = .value(.bool(flag))
    case let number as Int: node.content = .value(.int(number))
    case let number as Double: node.content = .value(try .number(number, codingPath))
    // As JSONEncoder writes them by default (their own `encode(to:)` differs).
    case let url as URL: node.content = .value(.string(url.absoluteString))
    case let bytes as Data: node.content = .value(.string(bytes.base64EncodedString()))
    default: try value.encode(to: ValueEncoder(node: node, codingPath: codingPath))
    }
}

private struct KeyedValueEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: ValueNode
    let codingPath: [any CodingKey]

    func encodeNil(forKey key: Key) throws { node.set(key.stringValue, ValueNode()) }

    func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let child = ValueNode()
        try QuireCore.encode(value, into: child, codingPath: codingPath + [key])
        node.set(key.stringValue, child)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = ValueNode()
        node.set(key.stringValue, child)
        return ValueEncoder(node: child, codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = ValueNode()
        node.set(key.stringValue, child)
        return ValueEncoder(node: child, codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }

    func superEncoder(forKey key: Key) -> any Encoder {
        let child = ValueNode()
        node.set(key.stringValue, child)
        return ValueEncoder(node: child, codingPath: codingPath + [key])
    }
}

private struct UnkeyedValueEncoder: UnkeyedEncodingContainer {
    let node: ValueNode
    let codingPath: [any CodingKey]
    var count: Int { node.count }

    private var nextKey: PathKey { PathKey(intValue: count) }

    func encodeNil() throws { node.append(ValueNode()) }

    func encode<T: Encodable>(_ value: T) throws {
        let child = ValueNode()
        try QuireCore.encode(value, into: child, codingPath: codingPath + [nextKey])
        node.append(child)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = ValueNode()
        let path = codingPath + [nextKey]
        node.append(child)
        return ValueEncoder(node: child, codingPath: path).container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = ValueNode()
        let path = codingPath + [nextKey]
        node.append(child)
        return ValueEncoder(node: child, codingPath: path).unkeyedContainer()
    }

    func superEncoder() -> any Encoder {
        let child = ValueNode()
        let path = codingPath + [nextKey]
        node.append(child)
        return ValueEncoder(node: child, codingPath: path)
    }
}

private struct SingleValueEncoder: SingleValueEncodingContainer {
    let node: ValueNode
    let codingPath: [any CodingKey]

    func encodeNil() throws { node.content = .value(.null) }
    func encode(_ value: Bool) throws { node.content = .value(.bool(value)) }
    func encode(_ value: String) throws { node.content = .value(.string(value)) }
    func encode(_ value: Double) throws { node.content = .value(try .number(value, codingPath)) }
    // Through its shortest text, as JSONEncoder writes it: Float 0.1 reads back as 0.1, not 0.100000001.
    func encode(_ value: Float) throws { node.content = .value(try .number(Double(value.description) ?? Double(value), codingPath)) }
    func encode(_ value: Int) throws { node.content = .value(.int(value)) }
    func encode(_ value: Int8) throws { node.content = .value(.int(Int(value))) }
    func encode(_ value: Int16) throws { node.content = .value(.int(Int(value))) }
    func encode(_ value: Int32) throws { node.content = .value(.int(Int(value))) }
    func encode(_ value: Int64) throws { node.content = .value(.int(Int(value))) }
    func encode(_ value: UInt) throws { node.content = .value(try Self.integer(value, codingPath)) }
    func encode(_ value: UInt8) throws { node.content = .value(.int(Int(value))) }
    func encode(_ value: UInt16) throws { node.content = .value(.int(Int(value))) }
    func encode(_ value: UInt32) throws { node.content = .value(.int(Int(value))) }
    func encode(_ value: UInt64) throws { node.content = .value(try Self.integer(value, codingPath)) }
    func encode<T: Encodable>(_ value: T) throws { try QuireCore.encode(value, into: node, codingPath: codingPath) }

    /// An unsigned number past `Int.max` as JSON text would read it back: a double.
    private static func integer(_ value: some UnsignedInteger, _ codingPath: [any CodingKey]) throws -> JSONValue {
        if let small = Int(exactly: value) { return .int(small) }
        return try .number(Double(value), codingPath)
    }
}

/// A key in a coding path: an array item's index, or "super".
private struct PathKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(intValue: Int) {
        self.intValue = intValue
        self.stringValue = "Index \(intValue)"
    }
    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }
}

// MARK: - Decoding

private struct ValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        switch type {
        case is JSONValue.Type: return value as! T
        case is String.Type: return try SingleValueDecoder(decoder: self).decode(String.self) as! T
        case is Bool.Type: return try SingleValueDecoder(decoder: self).decode(Bool.self) as! T
        case is Int.Type: return try SingleValueDecoder(decoder: self).decode(Int.self) as! T
        case is Double.Type: return try SingleValueDecoder(decoder: self).decode(Double.self) as! T
        // As JSONDecoder reads them by default.
        case is URL.Type:
            guard case .string(let text) = value, let url = URL(string: text) else { throw mismatch(URL.self) }
            return url as! T
        case is Data.Type:
            guard case .string(let text) = value, let bytes = Data(base64Encoded: text) else { throw mismatch(Data.self) }
            return bytes as! T
        default: return try T(from: self)
        }
    }

    func mismatch(_ type: Any.Type) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "Expected \(type), found \(value.kindName)."))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch([String: JSONValue].self) }
        return KeyedDecodingContainer(KeyedValueDecoder<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else { throw mismatch([JSONValue].self) }
        return UnkeyedValueDecoder(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleValueDecoder(decoder: self) }
}

private struct KeyedValueDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func member(_ key: Key) throws -> ValueDecoder {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "No value for \"\(key.stringValue)\"."))
        }
        return ValueDecoder(value: value, codingPath: codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool { try member(key).value == .null }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try member(key).decode(type) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try member(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try member(key).unkeyedContainer() }

    func superDecoder() throws -> any Decoder {
        ValueDecoder(value: members["super"] ?? .null, codingPath: codingPath + [PathKey(stringValue: "super")])
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ValueDecoder(value: members[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }
}

private struct UnkeyedValueDecoder: UnkeyedDecodingContainer {
    let items: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(items: [JSONValue], codingPath: [any CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next(_ type: Any.Type) throws -> ValueDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: "Unkeyed container is at its end."))
        }
        defer { currentIndex += 1 }
        return ValueDecoder(value: items[currentIndex], codingPath: codingPath + [PathKey(intValue: currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next(type).decode(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next([String: JSONValue].self).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next([JSONValue].self).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { try next(JSONValue.self) }
}

private struct SingleValueDecoder: SingleValueDecodingContainer {
    let decoder: ValueDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.value == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let flag) = decoder.value else { throw decoder.mismatch(type) }
        return flag
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let text) = decoder.value else { throw decoder.mismatch(type) }
        return text
    }

    func decode(_ type: Double.Type) throws -> Double {
        switch decoder.value {
        case .double(let number): return number
        case .int(let number): return Double(number)
        default: throw decoder.mismatch(type)
        }
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decode(type) }

    /// A whole number that fits `type`, as JSONDecoder reads one.
    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let number: T?
        switch decoder.value {
        case .int(let whole): number = T(exactly: whole)
        case .double(let fraction): number = T(exactly: fraction)
        default: throw decoder.mismatch(type)
        }
        guard let number else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: codingPath, debugDescription: "Number \(decoder.value) does not fit in \(type)."))
        }
        return number
    }
}

extension JSONValue {
    /// The kind of value, for error messages.
    fileprivate var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
