/// Maps libyaml positions back onto the input bytes, counting lines and columns the way libyaml does.
///
/// libyaml counts columns in Unicode scalars, treats CR LF, CR, LF, NEL, LS and PS as line breaks,
/// and does not count a leading byte order mark.
struct YAMLSourceText {
    /// A position in the text, all parts 0-based.
    struct Position {
        var byteOffset: Int
        var line: Int
        var column: Int
    }

    private let bytes: [UInt8]

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The 0-based line and column of the character at `byteOffset`, or of where decoding stopped
    /// when the bytes there are not valid UTF-8.
    func position(ofByteOffset byteOffset: Int) -> (line: Int, column: Int) {
        var found: Position?
        let end = walk { scalar, position in
            guard position.byteOffset + UTF8.width(scalar) > byteOffset else { return true }
            found = position
            return false
        }
        let position = found ?? end
        return (position.line, position.column)
    }

    /// The character at a 0-based line and column, and whether only indentation precedes it on its
    /// line: spaces, tabs and the block indicators `-` and `?`.
    func character(line: Int, column: Int) -> (scalar: Unicode.Scalar, onlyIndentationBefore: Bool)? {
        var result: (scalar: Unicode.Scalar, onlyIndentationBefore: Bool)?
        var onlyBlanks = true
        walk { scalar, position in
            guard position.line <= line else { return false }
            guard position.line == line else { return true }
            if position.column == column {
                result = (scalar, onlyBlanks)
                return false
            }
            if !" \t-?".unicodeScalars.contains(scalar) { onlyBlanks = false }
            return true
        }
        return result
    }

    /// Calls `body` with every scalar and its position until `body` returns false or the bytes
    /// end or stop being valid UTF-8; returns the position where it stopped.
    @discardableResult
    private func walk(_ body: (Unicode.Scalar, Position) -> Bool) -> Position {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var next = Position(byteOffset: 0, line: 0, column: 0)
        var previousWasCR = false
        while case .scalarValue(let scalar) = decoder.decode(&iterator) {
            let current = next
            next.byteOffset += UTF8.width(scalar)
            if current.byteOffset == 0 && scalar == "\u{FEFF}" { continue }
            if previousWasCR && scalar == "\n" {
                previousWasCR = false
                continue
            }
            guard body(scalar, current) else { return current }
            previousWasCR = scalar == "\r"
            switch scalar {
            case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}":
                next.line += 1
                next.column = 0
            default:
                next.column += 1
            }
        }
        return next
    }
}
