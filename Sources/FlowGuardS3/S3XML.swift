/// Reads the few elements FlowGuard needs from S3's XML answers (`<Code>`, `<Key>`, `<UploadId>`...).
///
/// S3's answers are flat and well-formed; a full XML parser would be the only user of another library.
/// This reader finds elements by name, skips attributes, CDATA and comments are not used by S3 here,
/// and entity references are decoded, so that a key with `&` reads back as it was written.
package enum S3XML {
    /// The text of every element with this name, in document order.
    package static func values(_ name: String, in document: String) -> [String] {
        elements(name, in: document).map(decodeEntities)
    }

    /// The text of the first element with this name.
    package static func value(_ name: String, in document: String) -> String? {
        values(name, in: document).first
    }

    /// The raw inner text of every `<name>` element (nested markup included).
    package static func elements(_ name: String, in document: String) -> [String] {
        var results: [String] = []
        let open = "<\(name)"
        let close = "</\(name)>"
        var rest = document[...]
        while let start = rest.firstRange(of: open) {
            let afterName = rest[start.upperBound...]
            // `<Key>` but not `<KeyCount>`: the name must end at `>`, `/` or whitespace.
            guard let next = afterName.first, next == ">" || next == " " || next == "/" || next == "\n" || next == "\t" else {
                rest = afterName
                continue
            }
            guard let tagEnd = afterName.firstIndex(of: ">") else { break }
            if tagEnd > afterName.startIndex && afterName[afterName.index(before: tagEnd)] == "/" {
                results.append("")
                rest = afterName[afterName.index(after: tagEnd)...]
                continue
            }
            let body = afterName[afterName.index(after: tagEnd)...]
            guard let end = body.firstRange(of: close) else { break }
            results.append(String(body[..<end.lowerBound]))
            rest = body[end.upperBound...]
        }
        return results
    }

    /// `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` and numeric references decoded.
    package static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var output = ""
        var rest = text[...]
        while let ampersand = rest.firstIndex(of: "&") {
            output += rest[..<ampersand]
            let afterAmpersand = rest[rest.index(after: ampersand)...]
            guard let semicolon = afterAmpersand.firstIndex(of: ";"), afterAmpersand.distance(from: afterAmpersand.startIndex, to: semicolon) <= 10 else {
                output += "&"
                rest = afterAmpersand
                continue
            }
            let entity = afterAmpersand[..<semicolon]
            switch entity {
            case "amp": output += "&"
            case "lt": output += "<"
            case "gt": output += ">"
            case "quot": output += "\""
            case "apos": output += "'"
            default:
                let scalar: Unicode.Scalar? =
                    if entity.hasPrefix("#x") { UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init) }
                    else if entity.hasPrefix("#") { UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init) }
                    else { nil }
                if let scalar { output.unicodeScalars.append(scalar) } else { output += "&\(entity);" }
            }
            rest = afterAmpersand[afterAmpersand.index(after: semicolon)...]
        }
        output += rest
        return output
    }

    /// Text escaped for an element's content.
    package static func escape(_ text: String) -> String {
        var output = ""
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            default: output.append(character)
            }
        }
        return output
    }
}
